// casetrack labels page: tick folders and locations, see each label as it
// will print (the label API's PNG), then get a PDF sheet or ZPL file, or
// send the labels to a Zebra printer.
(function () {
  'use strict';
  var form = document.getElementById('label-form');
  if (!form) { return; }
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  var el = function (id) { return document.getElementById(id); };
  var status = el('print-status');

  function ticked(name) {
    return Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'), function (i) { return i; });
  }

  function previewURL(input) {
    var kind = input.name === 'volume' ? 'volumes' : 'locations';
    return '/api/v1/' + kind + '/' + encodeURIComponent(input.value) + '/label.png';
  }

  function renderPreviews() {
    var list = el('previews'), all = ticked('volume').concat(ticked('location'));
    list.textContent = '';
    all.forEach(function (input) {
      var li = document.createElement('li');
      var img = document.createElement('img');
      img.alt = 'Label for ' + input.getAttribute('data-caption');
      img.loading = 'lazy';
      img.src = previewURL(input);
      img.addEventListener('error', function () {
        img.replaceWith(Object.assign(document.createElement('p'), { textContent: 'Preview not available.' }));
      });
      var cap = document.createElement('div');
      cap.className = 'cap';
      cap.textContent = input.getAttribute('data-caption');
      li.appendChild(img);
      li.appendChild(cap);
      list.appendChild(li);
    });
    el('preview-empty').hidden = all.length > 0;
    el('count').textContent = String(all.length);
    el('print').disabled = all.length === 0;
  }

  function renderOutput() {
    var out = el('output').value, sheet = out === 'pdf';
    el('layout-field').hidden = !sheet;
    el('start-field').hidden = !sheet;
    var opt = el('layout').selectedOptions[0];
    var per = opt ? Number(opt.getAttribute('data-per-sheet')) : 21;
    el('start').max = String(per);
    if (Number(el('start').value) > per) { el('start').value = String(per); }
  }

  function request() {
    var out = el('output').value;
    var body = { volumes: ticked('volume').map(function (i) { return i.value; }),
      locations: ticked('location').map(function (i) { return i.value; }) };
    if (out.indexOf('printer:') === 0) {
      body.printer = out.slice('printer:'.length);
      return { url: '/api/v1/print', body: body };
    }
    body.format = out;
    if (out === 'pdf') {
      body.layout = el('layout').value;
      body.start = Math.max(1, Number(el('start').value) || 1);
    }
    return { url: '/api/v1/labels', body: body };
  }

  async function problemOf(res) {
    try { var j = await res.json(); return j.error.message; } catch (e) { return 'The server answered ' + res.status + '.'; }
  }

  function offerDownload(blob, name) {
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.textContent = 'Download ' + name;
    a.className = 'button secondary';
    a.id = 'download';
    status.textContent = 'Ready. ';
    status.appendChild(a);
    a.click();
  }

  async function print(e) {
    e.preventDefault();
    var r = request();
    status.textContent = 'Preparing labels\u2026';
    var res;
    try {
      res = await fetch(r.url, { method: 'POST', credentials: 'same-origin', body: JSON.stringify(r.body),
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf } });
    } catch (err) {
      status.textContent = 'Could not reach casetrack. Check the connection and try again.';
      return;
    }
    if (!res.ok) { status.textContent = 'Not printed: ' + await problemOf(res); return; }
    if (r.body.printer) { status.textContent = 'Sent to printer ' + r.body.printer + '.'; return; }
    offerDownload(await res.blob(), r.body.format === 'zpl' ? 'labels.zpl' : 'labels.pdf');
  }

  form.addEventListener('change', function (e) {
    if (e.target.name === 'volume' || e.target.name === 'location') { renderPreviews(); }
    if (e.target.id === 'output' || e.target.id === 'layout') { renderOutput(); }
  });
  form.addEventListener('submit', print);
  renderPreviews();
  renderOutput();
})();
