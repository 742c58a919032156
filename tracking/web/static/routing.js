// What a scan means for requests, on the scan station and the camera page:
// a folder wanted somewhere else takes over the big panel, with its own
// sound ("WANTED AT ENT CLINIC BY 09:00"), so the person holding it sends
// it on; a scan that meets a request says so; one that brings part of a
// set says how many volumes are still to come. scan.js calls feedback for
// every answer.
(function () {
  'use strict';

  function when(iso) {
    var d = new Date(iso), now = new Date();
    var t = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
    if (d.toDateString() === now.toDateString()) { return t; }
    return d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' }) + ' ' + t;
  }

  function name(l) { return l ? String(l.name || l.code).toUpperCase() : '?'; }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  // notes are the sentences about requests met or partly met here.
  function notes(r) {
    var out = [];
    var met = (r.fulfils || []).length;
    if (met) { out.push(met === 1 ? 'Request met: the notes are where they were wanted.' : met + ' requests met here.'); }
    (r.incomplete || []).forEach(function (p) {
      out.push(p.arrived + ' of ' + p.of + ' volumes here: ' + plural(p.of - p.arrived, 'volume', 'volumes') + ' still to come.');
    });
    return out;
  }

  // feedback turns an answer's requests into what the porter sees and
  // hears, starting from o, what the scan itself says.
  function feedback(o, r) {
    if (r.result !== 'moved' && r.result !== 'already_here') { return o; }
    var wanted = r.wanted || [], said = notes(r);
    if (wanted.length) {
      var w = wanted[0];
      if (navigator.vibrate) { navigator.vibrate([120, 60, 120, 60, 400]); }
      var then = wanted.slice(1).map(function (x) { return 'then ' + name(x.location) + ' by ' + when(x.needed_by); });
      return { kind: 'wanted', sound: 'wanted', line: o.line,
        head: 'WANTED AT ' + name(w.location) + ' BY ' + when(w.needed_by) + (w.priority === 'urgent' ? ' \u2013 URGENT' : ''),
        route: [o.head + ' ' + (o.brief || o.route)].concat(said, then).join(' \u00b7 '),
        brief: 'WANTED AT ' + (w.location ? w.location.code : '?') };
    }
    if (!said.length) { return o; }
    return { kind: 'fulfils', sound: 'fulfils', head: o.head + ': ' + said[0], line: o.line,
      route: [o.route].concat(said.slice(1)).join(' \u00b7 '), brief: (o.brief || '') + ' \u2013 ' + said.join(' ') };
  }

  window.casetrackRouting = { feedback: feedback };
})();
