// casetrack labels page: ticked folders and locations go into a basket
// that outlasts each search, so one sheet can hold several patients'
// labels; the basket shows each label as it will print (the label API's
// PNG) and which positions of the sheet it will use, then the page gets a
// PDF sheet or ZPL file, or sends the labels to a Zebra printer.
//
// The basket lives in this tab's sessionStorage under the signed-in
// person's name: it is gone when the tab closes, and a basket left by
// someone else on a shared PC is thrown away unread.
(function () {
  'use strict';
  var form = document.getElementById('label-form');
  if (!form) { return; }
  var PREFIX = 'casetrack.labels.basket.v1.';
  var KEY = PREFIX + (form.getAttribute('data-user') || '');
  var PREVIEWS = 12; // pictures drawn; a longer basket lists the rest by name
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  var el = function (id) { return document.getElementById(id); };
  var status = el('print-status');

  // ---- the basket ---------------------------------------------------------

  function forgetOthers() {
    for (var i = sessionStorage.length - 1; i >= 0; i--) {
      var k = sessionStorage.key(i);
      if (k && k.indexOf(PREFIX) === 0 && k !== KEY) { sessionStorage.removeItem(k); }
    }
  }

  function load() {
    try { return JSON.parse(sessionStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }

  var basket = load();

  function save() {
    if (basket.length) { sessionStorage.setItem(KEY, JSON.stringify(basket)); } else { sessionStorage.removeItem(KEY); }
  }

  function indexOf(kind, value) {
    for (var i = 0; i < basket.length; i++) {
      if (basket[i].kind === kind && basket[i].value === value) { return i; }
    }
    return -1;
  }

  function itemOf(input) {
    return { kind: input.name, value: input.value, caption: input.getAttribute('data-caption') || input.value };
  }

  function put(item) {
    if (indexOf(item.kind, item.value) < 0) { basket.push(item); }
  }

  function take(kind, value) {
    var i = indexOf(kind, value);
    if (i >= 0) { basket.splice(i, 1); }
  }

  function changed() {
    save();
    renderBasket();
    syncTicks();
    renderSheets();
  }

  // ---- drawing the basket -------------------------------------------------

  function pickers() { return document.querySelectorAll('input[name="volume"], input[name="location"]'); }

  function syncTicks() {
    Array.prototype.forEach.call(pickers(), function (input) { input.checked = indexOf(input.name, input.value) >= 0; });
  }

  function previewURL(item) {
    var kind = item.kind === 'volume' ? 'volumes' : 'locations';
    return '/api/v1/' + kind + '/' + encodeURIComponent(item.value) + '/label.png';
  }

  function basketRow(item, i) {
    var li = document.createElement('li');
    if (i < PREVIEWS) {
      var img = document.createElement('img');
      img.alt = 'Label for ' + item.caption;
      img.loading = 'lazy';
      img.src = previewURL(item);
      img.addEventListener('error', function () {
        img.replaceWith(Object.assign(document.createElement('p'), { textContent: 'Preview not available.' }));
      });
      li.appendChild(img);
    } else {
      li.className = 'no-preview';
    }
    li.appendChild(Object.assign(document.createElement('div'), { className: 'cap', textContent: item.caption }));
    var rm = Object.assign(document.createElement('button'), { type: 'button', className: 'secondary small remove' });
    rm.textContent = 'Remove';
    rm.appendChild(Object.assign(document.createElement('span'), { className: 'visually-hidden', textContent: ' ' + item.caption }));
    rm.setAttribute('data-index', String(i));
    li.appendChild(rm);
    return li;
  }

  function renderBasket() {
    var list = el('basket'), n = basket.length;
    list.textContent = '';
    basket.forEach(function (item, i) { list.appendChild(basketRow(item, i)); });
    el('basket-empty').hidden = n > 0;
    el('empty-basket').hidden = n === 0;
    var labels = n + (n === 1 ? ' label' : ' labels');
    el('count').textContent = labels;
    el('print').textContent = 'Print ' + labels;
    el('print').disabled = n === 0;
    el('basket-jump').textContent = 'Basket: ' + labels + ' \u00b7 Print';
    showJump();
  }

  // The bar at the foot of the screen leads to the basket while it is out
  // of sight, so a long list of results never hides what is chosen.
  var basketInView = true;
  function showJump() { el('basket-jump').hidden = basket.length === 0 || basketInView; }
  if (window.IntersectionObserver) {
    new IntersectionObserver(function (entries) {
      basketInView = entries[0].isIntersecting;
      showJump();
    }).observe(form);
  }

  // removeAt takes one label out and puts the cursor on the next Remove
  // button, or on the basket's heading when it is empty.
  function removeAt(i) {
    basket.splice(i, 1);
    changed();
    var next = el('basket').querySelectorAll('button.remove')[Math.min(i, basket.length - 1)];
    (next || el('basket-title')).focus();
  }

  // ---- which positions of the sheet ------------------------------------------

  function layout() {
    var opt = el('layout').selectedOptions[0];
    var n = function (a, d) { return opt ? Number(opt.getAttribute(a)) || d : d; };
    return { per: n('data-per-sheet', 21), columns: n('data-columns', 3), rows: n('data-rows', 7) };
  }

  function startAt(per) { return Math.min(per, Math.max(1, Math.floor(Number(el('start').value)) || 1)); }

  // sheetsFor lays n labels out from position start: for each sheet, the
  // first and last positions used.
  function sheetsFor(n, start, per) {
    var out = [], from = start;
    while (n > 0) {
      var to = Math.min(per, from + n - 1);
      out.push({ from: from, to: to });
      n -= to - from + 1;
      from = 1;
    }
    return out;
  }

  function describe(sheets, per) {
    if (sheets.length === 0) { return 'Nothing to print yet: the sheet below shows where printing will start.'; }
    var first = sheets[0];
    var s = (first.to > first.from ? 'Labels ' + first.from + ' to ' + first.to : 'Label ' + first.from) + ' of the first sheet';
    if (sheets.length === 1) { return s + ' (' + per + ' a sheet).'; }
    return s + ', then ' + (sheets.length - 1) + ' more sheet' + (sheets.length > 2 ? 's' : '') +
      ': ' + sheets.length + ' sheets in all.';
  }

  function sheetGrid(sh, lay, first) {
    var grid = document.createElement('div');
    grid.className = 'sheet';
    grid.style.gridTemplateColumns = 'repeat(' + lay.columns + ', 1fr)';
    for (var pos = 1; pos <= lay.per; pos++) {
      var cell = document.createElement('span');
      cell.className = pos < sh.from ? 'used' : (pos <= sh.to ? 'print' : 'free');
      if (first) { cell.setAttribute('data-pos', String(pos)); }
      grid.appendChild(cell);
    }
    return grid;
  }

  function renderSheets() {
    var lay = layout(), start = startAt(lay.per);
    var sheets = sheetsFor(basket.length, start, lay.per);
    el('sheet-summary').textContent = describe(sheets, lay.per);
    var box = el('sheets');
    box.textContent = '';
    (sheets.length ? sheets : [{ from: start, to: start - 1 }]).slice(0, 3).forEach(function (sh, i) {
      box.appendChild(sheetGrid(sh, lay, i === 0));
    });
    if (sheets.length > 3) { box.appendChild(Object.assign(document.createElement('p'), { textContent: '+' + (sheets.length - 3) })); }
  }

  function renderOutput() {
    var sheet = el('output').value === 'pdf';
    ['layout-field', 'start-field', 'sheet-field', 'actual-size'].forEach(function (id) { el(id).hidden = !sheet; });
    var per = layout().per;
    el('start').max = String(per);
    if (Number(el('start').value) > per) { el('start').value = String(per); }
    renderSheets();
  }

  // ---- printing ---------------------------------------------------------------

  function request() {
    var out = el('output').value;
    var of = function (kind) {
      return basket.filter(function (it) { return it.kind === kind; }).map(function (it) { return it.value; });
    };
    var body = { volumes: of('volume'), locations: of('location') };
    if (out.indexOf('printer:') === 0) {
      body.printer = out.slice('printer:'.length);
      return { url: '/api/v1/print', body: body };
    }
    body.format = out;
    if (out === 'pdf') {
      body.layout = el('layout').value;
      body.start = startAt(layout().per);
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
    if (name.slice(-4) === '.pdf') {
      status.appendChild(Object.assign(document.createElement('strong'), {
        textContent: ' Print it at actual size (100%), not “Fit to page”.' }));
    }
    status.appendChild(document.createTextNode(' Empty the basket once the labels have printed.'));
    a.click();
  }

  async function print(e) {
    e.preventDefault();
    if (basket.length === 0) { return; }
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
    if (r.body.printer) { status.textContent = 'Sent to printer ' + r.body.printer + '. Empty the basket once the labels have printed.'; return; }
    offerDownload(await res.blob(), r.body.format === 'zpl' ? 'labels.zpl' : 'labels.pdf');
  }

  // ---- wiring -----------------------------------------------------------------

  // takeAdded puts the volume just registered in the basket once: the
  // address loses it, so a reload does not put it back after removal.
  function takeAdded() {
    var added = el('added');
    if (!added) { return; }
    put({ kind: 'volume', value: added.getAttribute('data-volume'), caption: added.getAttribute('data-caption') });
    var u = new URL(location.href);
    u.searchParams.delete('added');
    history.replaceState(null, '', u.pathname + u.search + u.hash);
  }

  // takeList puts the labels of a list the page was sent with (a merge's
  // changed folders, locations from the locations page) in the basket
  // once, as takeAdded does the folder just registered.
  function takeList(id, params) {
    var list = el(id);
    if (!list) { return; }
    Array.prototype.forEach.call(list.querySelectorAll('input'), function (i) { put(itemOf(i)); });
    var u = new URL(location.href);
    params.forEach(function (p) { u.searchParams.delete(p); });
    history.replaceState(null, '', u.pathname + u.search + u.hash);
  }

  document.addEventListener('change', function (e) {
    var t = e.target;
    if (t.name === 'volume' || t.name === 'location') {
      if (t.checked) { put(itemOf(t)); } else { take(t.name, t.value); }
      changed();
    }
    if (t.id === 'output' || t.id === 'layout') { renderOutput(); }
  });
  el('start').addEventListener('input', renderSheets);
  el('basket').addEventListener('click', function (e) {
    var b = e.target.closest('button.remove');
    if (b) { removeAt(Number(b.getAttribute('data-index'))); }
  });
  el('sheets').addEventListener('click', function (e) {
    var pos = e.target.getAttribute('data-pos');
    if (pos) { el('start').value = pos; renderSheets(); }
  });
  el('empty-basket').addEventListener('click', function () {
    basket = [];
    changed();
    status.textContent = 'The basket is empty.';
    el('basket-title').focus();
  });
  var today = el('add-today');
  if (today) {
    today.addEventListener('click', function () {
      Array.prototype.forEach.call(el('today').querySelectorAll('input'), function (i) { put(itemOf(i)); });
      changed();
      status.textContent = 'Today\u2019s registrations are in the basket.';
    });
  }
  form.addEventListener('submit', print);
  forgetOthers();
  takeAdded();
  takeList('relabel', ['merge']);
  takeList('put', ['label', 'from', 'to']);
  changed();
  renderOutput();
})();
