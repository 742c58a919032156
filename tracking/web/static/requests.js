// The library's request queue, kept up to date as news of requests arrives
// (server-sent events): a new request's row is read and put in its place
// by need, a met or cancelled one leaves. The news names requests only; a
// row is read through the server, which records who saw which patient.
(function () {
  'use strict';
  var queue = document.getElementById('queue');
  var live = document.getElementById('live');
  if (!queue || !live || !window.EventSource) { return; }
  var filter = live.getAttribute('data-location') || '';

  function row(id) { return queue.querySelector('tr[data-request="' + id + '"]'); }

  function counted() {
    var n = queue.querySelectorAll('tr[data-request]').length;
    document.getElementById('queue-count').textContent = String(n);
    document.getElementById('queue-empty').hidden = n > 0;
  }

  // before reports whether row a comes before row b in the queue: the
  // earliest need, urgent first at equal times, then the newest.
  function before(a, b) {
    var na = a.getAttribute('data-need'), nb = b.getAttribute('data-need');
    if (na !== nb) { return na < nb; }
    var ua = a.getAttribute('data-priority') === 'urgent', ub = b.getAttribute('data-priority') === 'urgent';
    if (ua !== ub) { return ua; }
    return Number(a.getAttribute('data-request')) > Number(b.getAttribute('data-request'));
  }

  function place(tr) {
    var rows = queue.querySelectorAll('tr[data-request]');
    for (var i = 0; i < rows.length; i++) {
      if (before(tr, rows[i])) { queue.insertBefore(tr, rows[i]); return; }
    }
    queue.appendChild(tr);
  }

  function remove(id) {
    var tr = row(id);
    if (tr) { tr.parentNode.removeChild(tr); counted(); }
  }

  async function refresh(id, add) {
    try {
      var res = await fetch('/requests/' + id + '/row?location=' + encodeURIComponent(filter), { credentials: 'same-origin' });
      if (!res.ok) { return; }
      var t = document.createElement('tbody');
      t.innerHTML = (await res.text()).trim();
      var tr = t.querySelector('tr');
      if (!tr) { return; }
      var old = row(id);
      if (old) { old.parentNode.removeChild(old); } else if (!add) { return; }
      if (filter && tr.getAttribute('data-location') !== filter) { counted(); return; }
      tr.classList.add('fresh');
      place(tr);
      counted();
    } catch (e) { /* the next news or a reload shows it */ }
  }

  function onNews(n) {
    if (n.resync) { location.reload(); return; }
    switch (n.event) {
      case 'fulfilled':
      case 'cancelled':
        remove(n.request);
        break;
      case 'created':
        if (!filter || n.location === filter) { refresh(n.request, true); }
        break;
      case 'moved':
        refresh(n.request, true);
        break;
      case 'arrived':
        refresh(n.request, false);
        break;
    }
  }

  var es = new EventSource('/api/v1/requests/events');
  es.onopen = function () { live.textContent = 'Live: new requests appear as they are made.'; live.className = 'live on no-print'; };
  es.onerror = function () { live.textContent = 'Reconnecting for live updates…'; live.className = 'live off no-print'; };
  es.onmessage = function (e) {
    try { onNews(JSON.parse(e.data)); } catch (err) { /* not ours */ }
  };
  var print = document.getElementById('print');
  if (print) { print.addEventListener('click', function () { window.print(); }); }
})();
