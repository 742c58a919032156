// casetrack sweeps pages: the counts of open sweeps follow the scans as
// they come in, from whatever station or device makes them.
(function () {
  'use strict';
  var counts = document.querySelectorAll('.live-count[data-sweep]');
  if (!counts.length) { return; }
  var EVERY_MS = 3000;

  function set(el, cls, n) {
    var s = el.querySelector('.' + cls);
    if (s && s.textContent !== String(n)) { s.textContent = String(n); }
  }

  async function refresh(el) {
    try {
      var res = await fetch('/api/v1/sweeps/' + encodeURIComponent(el.getAttribute('data-sweep')), { credentials: 'same-origin' });
      if (!res.ok) { return; }
      var sw = await res.json();
      set(el, 'count-seen', sw.counts.seen);
      set(el, 'count-corrected', sw.counts.corrected);
      set(el, 'count-unknown', sw.counts.unknown);
    } catch (e) { /* offline: the next round will tell */ }
  }

  function tick() {
    if (!document.hidden) { Array.prototype.forEach.call(counts, refresh); }
  }
  setInterval(tick, EVERY_MS);
  document.addEventListener('visibilitychange', tick);
})();
