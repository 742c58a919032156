// casetrack sweep mode, for the scan station and the camera page: choose
// an open sweep, and every folder scanned counts for it and is booked to
// its location (a folder on a shelf inside it stays there). The panel at
// the top says what is being swept and how many folders the sweep has
// seen so far, from every device scanning for it. /scan?sweep=ID opens
// the station in sweep mode for that sweep.
(function () {
  'use strict';
  var ct = window.casetrack;
  var box = document.getElementById('sweep-at');
  var select = document.getElementById('sweep');
  if (!ct || !box || !select) { return; }

  var KEY = 'casetrack.sweep';
  var EVERY_MS = 4000;
  var chosen = null; // {id, code, name, seen}
  var mode = ct.state.mode;

  function option(id) { return select.querySelector('option[value="' + String(id).replace(/[^0-9]/g, '') + '"]'); }

  function choose(id) {
    var o = id && option(id);
    chosen = o ? { id: Number(o.value), code: o.getAttribute('data-code'), name: o.getAttribute('data-name'), seen: null } : null;
    select.value = chosen ? String(chosen.id) : '';
    localStorage.setItem(KEY, chosen ? String(chosen.id) : '');
    refresh();
    render();
  }

  // render shows the sweep in the panel a porter reads from across the room.
  function render() {
    var name = document.getElementById('target-name'), label = document.getElementById('target-label');
    renderTarget(mode, name, label);
  }

  function renderTarget(m, name, label) {
    mode = m;
    var panel = name.parentNode;
    panel.classList.toggle('sweeping', m === 'sweep');
    if (m !== 'sweep') { return; }
    label.textContent = 'Sweeping';
    name.className = 'target-name' + (chosen ? '' : ' none');
    name.setAttribute('data-code', chosen ? chosen.code : '');
    name.textContent = chosen ? chosen.name + ' (' + chosen.code + ')' : 'Choose the sweep below';
    if (chosen && chosen.seen !== null) {
      var p = document.createElement('span');
      p.className = 'sweep-progress';
      p.id = 'sweep-progress';
      p.textContent = ' \u00b7 ' + chosen.seen + ' seen';
      name.appendChild(p);
    }
  }

  // prepare makes a scan count for the chosen sweep; without one it
  // refuses, and nothing is sent. An undo is not part of the sweep.
  function prepare(item) {
    if (item.undo) { return true; }
    if (!chosen) {
      ct.show('error', 'Choose the sweep first', item.barcode, 'Nothing sent, nothing moved. Choose the open sweep for this location, then scan again.');
      ct.play('error');
      return false;
    }
    item.sweep = chosen.id;
    item.location = chosen.code;
    return true;
  }

  async function refresh() {
    if (!chosen || mode !== 'sweep' || document.hidden) { return; }
    try {
      var res = await fetch('/api/v1/sweeps/' + chosen.id, { credentials: 'same-origin' });
      if (!res.ok) { return; }
      var sw = await res.json();
      if (sw.status !== 'open') { box.querySelector('.hint').textContent = 'This sweep has been finished.'; }
      if (chosen && chosen.id === sw.id) { chosen.seen = sw.counts.seen; render(); }
    } catch (e) { /* offline: the queue will tell */ }
  }

  async function load() {
    var want = new URLSearchParams(location.search).get('sweep') || localStorage.getItem(KEY) || '';
    try {
      var res = await fetch('/api/v1/sweeps?status=open', { credentials: 'same-origin' });
      if (res.ok) {
        (await res.json()).sweeps.forEach(function (sw) {
          var o = document.createElement('option');
          o.value = String(sw.id);
          o.textContent = 'Sweep ' + sw.id + ': ' + sw.location.name + ' (' + sw.location.code + ')';
          o.setAttribute('data-code', sw.location.code);
          o.setAttribute('data-name', sw.location.name);
          select.appendChild(o);
        });
      }
    } catch (e) { /* offline: no sweeps to choose */ }
    if (new URLSearchParams(location.search).get('sweep')) {
      var radio = document.querySelector('input[name="mode"][value="sweep"]');
      if (radio && !radio.checked) { radio.click(); }
    }
    choose(want);
  }

  ct.sweep = {
    mode: function (m) { mode = m; box.hidden = m !== 'sweep'; refresh(); },
    prepare: prepare,
    renderTarget: renderTarget
  };
  select.addEventListener('change', function () { choose(select.value); if (ct.refocus) { ct.refocus(); } });
  setInterval(refresh, EVERY_MS);
  ct.sweep.mode(mode);
  render();
  load();
})();
