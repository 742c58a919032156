// casetrack page header: at phone width the main links fold behind a
// Menu button, so the page itself starts on the first screen. Without
// this script every link shows, as on a desktop.
(function () {
  'use strict';
  var button = document.getElementById('menu-toggle');
  var nav = document.getElementById('main-nav');
  if (!button || !nav) { return; }
  function show(open) {
    button.setAttribute('aria-expanded', String(open));
    nav.classList.toggle('folded', !open);
  }
  button.hidden = false;
  show(false);
  button.addEventListener('click', function () {
    var open = button.getAttribute('aria-expanded') !== 'true';
    show(open);
    if (open) { (nav.querySelector('a') || nav).focus(); }
  });
  nav.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && button.offsetParent !== null) { show(false); button.focus(); }
  });
})();
