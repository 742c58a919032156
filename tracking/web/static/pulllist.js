// A pull list kept up to date as news of its requests arrives: each line of
// a request the news names is read again and shows its new state, so the
// library watches lines turn green as porters scan notes into clinics.
(function () {
  'use strict';
  var lines = document.getElementById('lines');
  var live = document.getElementById('live');
  if (!lines || !live || !window.EventSource) { return; }
  var date = live.getAttribute('data-date');
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

  var es = new EventSource('/api/v1/requests/events');
  es.onopen = function () { live.textContent = 'Live: lines turn green as notes reach their clinic.'; live.className = 'live on no-print'; };
  es.onerror = function () { live.textContent = 'Reconnecting for live updates…'; live.className = 'live off no-print'; };
  es.onmessage = function (e) {
    var n;
    try { n = JSON.parse(e.data); } catch (err) { return; }
    if (n.resync) { location.reload(); return; }
    if (lines.querySelector('tr[data-request="' + n.request + '"]')) { refresh(n.request); }
  };
})();
