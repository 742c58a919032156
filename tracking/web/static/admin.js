// casetrack administration: ask before disabling a user or revoking a
// token, copy a new token's secret, and put the cursor on the first field
// a form got wrong. Without script the forms still work.
(function () {
  'use strict';
  Array.prototype.forEach.call(document.querySelectorAll('form[data-confirm]'), function (form) {
    form.addEventListener('submit', function (e) {
      if (!window.confirm(form.getAttribute('data-confirm'))) { e.preventDefault(); }
    });
  });

  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) { invalid.focus(); }

  var secret = document.getElementById('token-secret');
  var copy = document.getElementById('copy-token');
  if (!secret || !copy) { return; }
  var status = document.getElementById('copy-status');
  copy.hidden = false;
  secret.addEventListener('focus', function () { secret.select(); });

  function copied(ok) {
    status.textContent = ok ? 'Copied. Paste it into the device now.' :
      'Could not copy: the token is selected, press Ctrl+C (or long-press and Copy).';
    if (!ok) { secret.focus(); secret.select(); }
  }

  // The clipboard API may wait on a permission prompt that never comes;
  // after a moment the older way is tried instead.
  copy.addEventListener('click', function () {
    var settled = false;
    function done(ok) { if (!settled) { settled = true; copied(ok); } }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(secret.value).then(function () { done(true); }, function () { done(legacyCopy()); });
      window.setTimeout(function () { done(legacyCopy()); }, 1500);
      return;
    }
    done(legacyCopy());
  });

  function legacyCopy() {
    secret.focus();
    secret.select();
    try { return document.execCommand('copy'); } catch (err) { return false; }
  }
}());
