// casetrack volume actions on /lookup: the destruction confirmation shows
// only when destroyed is chosen (the server asks for it whatever the
// page shows), and a volume's label can be printed again, as a one-label
// PDF sheet or on a Zebra printer; the print log counts it as a reprint.
(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  function showConfirm(form) {
    var choice = form.querySelector('.status-choice');
    var box = form.querySelector('.confirm-destroy');
    if (!choice || !box) { return; }
    var on = choice.value === 'destroyed';
    box.hidden = !on;
    box.querySelector('input').required = on;
  }

  Array.prototype.forEach.call(document.querySelectorAll('.status-form'), function (form) {
    form.querySelector('.status-choice').addEventListener('change', function () { showConfirm(form); });
    showConfirm(form);
  });

  async function reprint(box) {
    var barcode = box.getAttribute('data-barcode');
    var out = box.querySelector('.reprint-output').value;
    var status = box.querySelector('.reprint-status');
    status.textContent = 'Preparing\u2026';
    var printer = out.indexOf('printer:') === 0 ? out.slice('printer:'.length) : '';
    var body = printer ? { printer: printer, volumes: [barcode] } : { format: 'pdf', layout: 'L7160', volumes: [barcode] };
    var res;
    try {
      res = await fetch(printer ? '/api/v1/print' : '/api/v1/labels', { method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(body) });
    } catch (e) {
      status.textContent = 'The server could not be reached: try again.';
      return;
    }
    if (!res.ok) {
      var msg = res.statusText;
      try { msg = (await res.json()).error.message; } catch (e) { /* keep the status text */ }
      status.textContent = 'Not printed: ' + msg;
      return;
    }
    if (printer) {
      status.textContent = 'Sent to ' + printer + '.';
      return;
    }
    var url = URL.createObjectURL(await res.blob());
    status.textContent = '';
    var a = document.createElement('a');
    a.href = url;
    a.download = barcode + '-label.pdf';
    a.textContent = 'Download ' + barcode + '-label.pdf';
    status.appendChild(a);
    status.appendChild(document.createTextNode(' \u2013 print at actual size.'));
  }

  Array.prototype.forEach.call(document.querySelectorAll('.reprint'), function (box) {
    box.querySelector('.reprint-button').addEventListener('click', function () { reprint(box); });
  });
})();
