// casetrack scan station: a keyboard-wedge scanner types a barcode into the
// input and presses Enter. The form's submit is always cancelled (or Enter
// would reload the page and lose the scan), and focus always comes back to
// the input, so the next scan lands in it.
(function () {
  'use strict';
  var ct = window.casetrack;
  var form = document.getElementById('scan-form');
  var input = document.getElementById('scan-input');
  if (!ct || !form || !input) { return; }

  // Scanners type about 10-50 ms a key; people slower than ~80 ms. A fast
  // burst that stops without Enter is a scanner set up with no suffix, so
  // it is taken as a scan after a short pause.
  var SCANNER_GAP = 45;
  var AUTO_SUBMIT_AFTER = 250;
  var keys = [];
  var autoTimer = 0;

  function scannerLike() {
    if (keys.length < 4) { return false; }
    var total = keys[keys.length - 1] - keys[0];
    return total / (keys.length - 1) < SCANNER_GAP;
  }

  function submitNow() {
    clearTimeout(autoTimer);
    var v = input.value;
    input.value = '';
    keys = [];
    ct.scan(v, { source: 'station' });
    input.focus();
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    submitNow();
  });

  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' || (e.key === 'Tab' && input.value)) {
      e.preventDefault();
      submitNow();
      return;
    }
    if (e.key.length === 1) { keys.push(e.timeStamp || Date.now()); }
  });

  input.addEventListener('input', function () {
    clearTimeout(autoTimer);
    if (!input.value) { keys = []; return; }
    autoTimer = setTimeout(function () { if (scannerLike() && input.value.length >= 6) { submitNow(); } }, AUTO_SUBMIT_AFTER);
  });

  // Focus comes back to the input whenever nothing else has deliberately
  // taken it (a select being changed keeps it until the change is made, a
  // button reached with Tab until it is pressed).
  function refocus() {
    var a = document.activeElement;
    if (a && a !== document.body && a !== input && a.closest('select, .modes, .nav, .who, a, #here, button')) { return; }
    input.focus();
  }

  // A scanner does not know where focus is: what it types while a button
  // has focus goes to the input, so its Enter can never press the button.
  document.addEventListener('keydown', function (e) {
    var a = document.activeElement;
    if (a && a.tagName === 'BUTTON' && a.closest('#scanner') && e.key.length === 1 && e.key !== ' ' &&
        !e.ctrlKey && !e.altKey && !e.metaKey) {
      input.focus();
    }
  }, true);
  ct.refocus = function () { setTimeout(function () { input.focus(); }, 0); };
  input.addEventListener('blur', function () { setTimeout(refocus, 150); });
  document.getElementById('here').addEventListener('change', ct.refocus);
  document.addEventListener('click', function (e) {
    if (!e.target.closest('a, button, input, select, label, summary')) { input.focus(); }
  });
  window.addEventListener('focus', function () { input.focus(); });
  document.addEventListener('visibilitychange', function () { if (!document.hidden) { input.focus(); } });
  input.focus();
})();
