// casetrack registration: check an NHS number as it is typed (the server
// checks it again), and put the cursor where the form needs attention.
// Without script the form still works.
(function () {
  'use strict';

  // validNHSNumber mirrors tracking.ValidNHSNumber: ten digits; the first
  // nine weighted 10 down to 2 and summed; 11 less the sum's remainder
  // by 11 is the check digit (11 means 0; 10 is never issued).
  function validNHSNumber(d) {
    if (!/^[0-9]{10}$/.test(d)) { return false; }
    var sum = 0;
    for (var i = 0; i < 9; i++) { sum += Number(d[i]) * (10 - i); }
    var check = 11 - sum % 11;
    if (check === 11) { check = 0; }
    return check !== 10 && check === Number(d[9]);
  }

  function spaced(d) { return d.slice(0, 3) + ' ' + d.slice(3, 6) + ' ' + d.slice(6); }

  // verdict says what to tell the person about what they typed; while
  // they are still typing a short number it says nothing.
  function verdict(value, typing) {
    var d = value.replace(/[\s-]/g, '');
    if (d === '') { return null; }
    if (!/^[0-9]+$/.test(d)) { return { ok: false, text: 'An NHS number has only digits (spaces are fine).' }; }
    if (d.length < 10) { return typing ? null : { ok: false, text: 'An NHS number has 10 digits; this has ' + d.length + '.' }; }
    if (d.length > 10) { return { ok: false, text: 'An NHS number has 10 digits; this has ' + d.length + '.' }; }
    if (!validNHSNumber(d)) {
      return { ok: false, text: spaced(d) + ' is not a valid NHS number: a digit is wrong or two are swapped. Check it against the letter or wristband.' };
    }
    return { ok: true, text: spaced(d) + ' is a valid NHS number.' };
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-nhs-check]'), function (input) {
    var out = document.getElementById(input.getAttribute('data-nhs-check'));
    function show(typing) {
      var v = verdict(input.value, typing);
      out.textContent = v ? v.text : '';
      out.className = 'nhs-check' + (v ? (v.ok ? ' ok' : ' bad') : '');
    }
    input.addEventListener('input', function () { show(true); });
    input.addEventListener('blur', function () { show(false); });
    if (input.value) { show(false); }
  });

  var namesakes = document.getElementById('namesakes-title');
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) { invalid.focus(); } else if (namesakes) { namesakes.focus(); }
}());
