// A pull list kept up to date as news of its requests arrives: each line of
// a request the news names is read again and shows its new state, so the
// library watches lines turn green as porters scan notes into clinics; the
// week's counts per clinic session are counted again too, so a
// co-ordinator sees a session's problems shrink without reloading.
(function () {
  'use strict';
  var lines = document.getElementById('lines');
  var sessions = document.getElementById('sessions');
  var live = document.getElementById('live');
  if ((!lines && !sessions) || !window.EventSource) { return; }
  var date = live ? live.getAttribute('data-date') : '';
  var labels = { at_clinic: 'At clinic', in_library: 'In library', elsewhere: 'Elsewhere', missing: 'Missing', no_notes: 'No notes' };

  function place(l) { return l ? (l.name + ' (' + l.code + ')') : '\u2014'; }

  function update(l) {
    var sel = 'tr[data-request="' + l.request + '"][data-volume="' + (l.volume ? l.volume.barcode : '') + '"]';
    var tr = lines.querySelector(sel);
    if (!tr || !labels[l.state]) { return; }
    tr.className = 'line ' + l.state + ' fresh';
    var st = tr.querySelector('.state');
    st.className = 'state ' + l.state;
    st.textContent = labels[l.state];
    tr.querySelector('.where-now').textContent = place(l.current_location);
  }

  async function refresh(id) {
    try {
      var res = await fetch('/api/v1/pull-list?date=' + encodeURIComponent(date) + '&request=' + id, { credentials: 'same-origin' });
      if (!res.ok) { return; }
      (await res.json()).lines.forEach(update);
    } catch (e) { /* the next news or a reload shows it */ }
  }

  // The counts columns, in the table's order, and which of them warn.
  var counts = [['lines', ''], ['at_clinic', ' at_clinic'], ['in_library', ''], ['elsewhere', ' warn'], ['missing', ' bad'], ['no_notes', ' bad']];

  function showSession(s) {
    var tr = sessions.querySelector('tr[data-session="' + s.date + '|' + s.clinic.code + '|' + s.session + '"]');
    if (!tr) { return; }
    var cells = tr.querySelectorAll('td');
    counts.forEach(function (c, i) {
      var td = cells[i + 2];
      if (!td || String(s[c[0]]) === td.textContent) { return; }
      td.textContent = s[c[0]];
      if (i > 0) { td.className = 'n' + (c[1] === ' at_clinic' || s[c[0]] ? c[1] : '') + ' fresh'; }
    });
  }

  var recount = 0;
  function countAgain() {
    clearTimeout(recount);
    // News comes in bursts (a batch of scans): count once it settles.
    recount = setTimeout(async function () {
      var q = '?from=' + encodeURIComponent(sessions.getAttribute('data-from')) + '&days=' + sessions.getAttribute('data-days') +
        '&clinic=' + encodeURIComponent(sessions.getAttribute('data-clinic'));
      try {
        var res = await fetch('/api/v1/pull-list/availability' + q, { credentials: 'same-origin' });
        if (res.ok) { (await res.json()).sessions.forEach(showSession); }
      } catch (e) { /* the next news or a reload shows it */ }
    }, 500);
  }

  var es = new EventSource('/api/v1/requests/events');
  if (live) {
    es.onopen = function () { live.textContent = 'Live: lines turn green as notes reach their clinic.'; live.className = 'live on no-print'; };
    es.onerror = function () { live.textContent = 'Reconnecting for live updates…'; live.className = 'live off no-print'; };
  }
  es.onmessage = function (e) {
    var n;
    try { n = JSON.parse(e.data); } catch (err) { return; }
    if (n.resync) { location.reload(); return; }
    if (lines && lines.querySelector('tr[data-request="' + n.request + '"]')) { refresh(n.request); }
    if (sessions) { countAgain(); }
  };
})();
