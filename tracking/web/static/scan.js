// casetrack scan core, shared by the scan station and the camera page.
// Every scan is written to this browser's queue (localStorage) before it is
// sent, and leaves the queue only when the server has answered it, so a
// scan made while the network is down is sent, in order, when it returns.
// Each scan has its own id, so sending it twice changes nothing.
(function () {
  'use strict';

  var QUEUE_KEY = 'casetrack.queue.v1';
  var RECENT_KEY = 'casetrack.recent.v1';
  var root = document.getElementById('scanner');
  if (!root) { return; }
  var channel = root.getAttribute('data-channel') || 'station';
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  var el = function (id) { return document.getElementById(id); };

  var state = {
    device: deviceID(),
    mode: localStorage.getItem('casetrack.mode') || 'book',
    here: localStorage.getItem('casetrack.here') || '',
    bookingTo: null,       // {code, name} of the last location scanned (book mode)
    lastMove: null,        // the last scan that moved a volume, for undo
    latestID: '',          // the scan whose answer fills the big panel
    online: true,
    signedOut: false,
    syncing: false,
    retryMs: 1000,
    retryTimer: 0,
    recent: loadJSON(sessionStorage, RECENT_KEY, [])
  };

  // ---- ids and storage ----------------------------------------------------

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) { crypto.getRandomValues(b); }
    else { for (var i = 0; i < 16; i++) { b[i] = Math.floor(Math.random() * 256); } }
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  // deviceID names this tab as a scanning device, so the server keeps
  // "booking to" for it; a new tab starts with no location.
  function deviceID() {
    var id = sessionStorage.getItem('casetrack.device');
    if (!id) {
      id = channel + '-' + uuid().slice(0, 13);
      sessionStorage.setItem('casetrack.device', id);
    }
    return id;
  }

  function loadJSON(store, key, def) {
    try { var v = JSON.parse(store.getItem(key)); return v || def; } catch (e) { return def; }
  }
  function loadQueue() { return loadJSON(localStorage, QUEUE_KEY, []); }
  function saveQueue(q) { localStorage.setItem(QUEUE_KEY, JSON.stringify(q)); }
  function removeFromQueue(id) {
    saveQueue(loadQueue().filter(function (it) { return it.scan_id !== id; }));
  }

  // ---- sound --------------------------------------------------------------

  var audio = null;
  function beep(freq, start, dur, type, ctx) {
    var o = ctx.createOscillator(), g = ctx.createGain();
    o.type = type || 'sine';
    o.frequency.value = freq;
    g.gain.setValueAtTime(0.0001, ctx.currentTime + start);
    g.gain.exponentialRampToValueAtTime(0.4, ctx.currentTime + start + 0.01);
    g.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + start + dur);
    o.connect(g); g.connect(ctx.destination);
    o.start(ctx.currentTime + start); o.stop(ctx.currentTime + start + dur + 0.02);
  }
  var tunes = {
    ok: [[1320, 0, 0.12, 'sine']],
    location: [[880, 0, 0.09, 'sine'], [1320, 0.1, 0.12, 'sine']],
    here: [[660, 0, 0.09, 'triangle'], [660, 0.14, 0.09, 'triangle']],
    queued: [[520, 0, 0.08, 'triangle'], [780, 0.1, 0.08, 'triangle']],
    error: [[180, 0, 0.22, 'square'], [140, 0.26, 0.3, 'square']]
  };
  function play(kind) {
    try {
      var AC = window.AudioContext || window.webkitAudioContext;
      if (!AC) { return; }
      audio = audio || new AC();
      if (audio.state === 'suspended') { audio.resume(); }
      (tunes[kind] || []).forEach(function (n) { beep(n[0], n[1], n[2], n[3], audio); });
    } catch (e) { /* no sound is better than no scan */ }
    if (kind === 'error' && navigator.vibrate) { navigator.vibrate([200, 100, 200]); }
  }

  // ---- display ------------------------------------------------------------

  function text(tag, cls, s) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    n.textContent = s;
    return n;
  }

  function patientLine(v) {
    if (!v) { return ''; }
    var p = v.patient || {};
    var name = (p.family_name || '').toUpperCase() + (p.given_name ? ', ' + p.given_name : '');
    var vol = 'Vol ' + v.volume_number + (v.volume_count ? ' of ' + v.volume_count : '');
    return (name ? name + ' · ' : '') + vol;
  }

  function code(l) { return l ? l.code : '?'; }
  function place(l) { return l ? (l.name ? l.name + ' (' + l.code + ')' : l.code) : '?'; }

  // show fills the big panel a porter sees from across the room.
  function show(kind, headline, line, route, small) {
    var f = el('feedback');
    f.className = 'feedback ' + kind;
    f.textContent = '';
    f.appendChild(text('p', 'headline', headline));
    if (line) { f.appendChild(text('p', 'who-what', line)); }
    if (route) { f.appendChild(text('p', 'route', route)); }
    if (small) { f.appendChild(text('p', 'small', small)); }
    void f.offsetWidth; // restart the flash animation
    f.className += ' flash';
  }

  function addRecent(entry) {
    var i = state.recent.findIndex(function (r) { return r.id === entry.id; });
    if (i >= 0) { state.recent[i] = entry; } else { state.recent.unshift(entry); }
    state.recent = state.recent.slice(0, 20);
    sessionStorage.setItem(RECENT_KEY, JSON.stringify(state.recent));
    renderRecent();
  }

  function renderRecent() {
    var ol = el('recent');
    ol.textContent = '';
    state.recent.forEach(function (r) {
      var li = document.createElement('li');
      li.className = r.kind;
      li.setAttribute('data-scan-id', r.id);
      li.appendChild(text('span', 't', r.time));
      var d = document.createElement('span');
      d.appendChild(text('span', 'what', r.text));
      d.appendChild(document.createElement('br'));
      d.appendChild(text('span', 'code', r.barcode));
      li.appendChild(d);
      ol.appendChild(li);
    });
  }

  function renderStatus() {
    var n = loadQueue().length, conn = el('conn'), q = el('queue');
    conn.textContent = state.online ? 'Online' : 'Offline';
    conn.className = 'pill ' + (state.online ? 'online' : 'offline');
    q.textContent = n === 0 ? 'All scans sent' : n + ' scan' + (n === 1 ? '' : 's') + ' waiting to send';
    q.className = 'pill' + (n ? ' waiting' : '');
    q.setAttribute('data-waiting', String(n));
    el('signed-out').hidden = !state.signedOut;
    var u = el('undo');
    u.disabled = !state.lastMove;
    u.textContent = state.lastMove ? 'Undo: ' + state.lastMove.barcode + ' back to ' + state.lastMove.back : 'Undo last scan';
  }

  function renderTarget() {
    var name = el('target-name'), label = el('target-label');
    var t = null;
    if (state.mode === 'receive') {
      label.textContent = 'Receiving at';
      t = state.here ? { code: state.here, name: hereName(state.here) } : null;
    } else if (state.mode === 'lookup') {
      label.textContent = 'Look up only';
      name.textContent = 'Scans move nothing';
      name.className = 'target-name none';
      return;
    } else {
      label.textContent = 'Booking to';
      t = state.bookingTo;
    }
    name.textContent = t ? place(t) : (state.mode === 'receive' ? 'Choose this station\u2019s location' : 'Scan a location barcode first');
    name.className = 'target-name' + (t ? '' : ' none');
    name.setAttribute('data-code', t ? t.code : '');
  }

  function hereName(code) {
    var o = el('here').querySelector('option[value="' + code.replace(/"/g, '') + '"]');
    return o ? o.textContent.replace(/ \([^)]*\)$/, '') : '';
  }

  function clock(d) {
    return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  // ---- answers --------------------------------------------------------------

  // outcome turns a scan's answer into what the porter sees and hears.
  function outcome(item, r) {
    var v = r.volume, line = patientLine(v);
    switch (r.result) {
      case 'moved':
        return { kind: 'ok', sound: 'ok', head: item.undo ? 'Undone' : 'Booked', line: line,
          route: place(r.previous_location) + ' \u2192 ' + place(r.location),
          brief: code(r.previous_location) + ' \u2192 ' + code(r.location) };
      case 'already_here':
        return { kind: 'here', sound: 'here', head: 'Already here', line: line, route: 'at ' + place(r.location),
          brief: code(r.location) };
      case 'location_set':
        return { kind: 'location', sound: 'location', head: 'Location: ' + (r.location ? r.location.code : ''),
          line: r.location ? r.location.name : '', route: 'Now scan the notes.' };
      case 'recorded_late':
        return { kind: 'here', sound: 'here', head: 'Recorded late', line: line, route: r.message };
      case 'ambiguous':
        return { kind: 'error', sound: 'error', head: 'Which folder?', line: '', route: r.message };
      case 'unknown_barcode':
        return { kind: 'error', sound: 'error', head: 'Unknown barcode', line: item.barcode, route: r.message };
      default:
        return { kind: 'error', sound: 'error', head: 'Not booked', line: item.barcode, route: r.message || 'Scan it again.' };
    }
  }

  function applyResult(item, r) {
    if (r.result === 'location_set' && r.location) {
      if (state.mode === 'receive' && item.mode === 'receive') { setHere(r.location.code); }
      else { state.bookingTo = { code: r.location.code, name: r.location.name }; }
    }
    if (r.result === 'moved' && r.previous_location && !item.undo) {
      state.lastMove = { barcode: item.barcode, back: r.previous_location.code };
    } else if (item.undo || item.scan_id === state.latestID) {
      state.lastMove = null;
    }
    var o = outcome(item, r);
    finish(item, o, r.time_adjusted ? r.message : '');
  }

  function finish(item, o, small) {
    addRecent({ id: item.scan_id, barcode: item.barcode, kind: o.kind, time: clock(new Date(item.scanned_at)),
      text: o.head + (o.line ? ' \u2013 ' + o.line : '') + ((o.brief || o.route) ? ' \u2013 ' + (o.brief || o.route) : '') });
    if (item.scan_id === state.latestID) {
      show(o.kind, o.head, o.line, o.route, small);
      play(o.sound);
    }
    renderTarget();
    renderStatus();
  }

  function failed(item, message) {
    finish(item, { kind: 'error', sound: 'error', head: 'Not booked', line: item.barcode, route: message });
  }

  // ---- sending ------------------------------------------------------------

  function headers(ch) {
    return { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, 'X-Casetrack-Channel': ch || channel };
  }

  function send(item) {
    var body = { scan_id: item.scan_id, barcode: item.barcode, device: item.device, scanned_at: item.scanned_at };
    if (item.location) { body.location = item.location; }
    return fetch('/api/v1/scans', { method: 'POST', credentials: 'same-origin', headers: headers(item.channel),
      body: JSON.stringify(body) });
  }

  async function errorMessage(res) {
    try { var j = await res.json(); return (j.error && j.error.message) || res.statusText; }
    catch (e) { return 'The server answered ' + res.status + '.'; }
  }

  // sendOne sends the oldest waiting scan; it reports whether to go on.
  async function sendOne(item) {
    var res;
    try { res = await send(item); } catch (e) {
      if (state.online && item.scan_id === state.latestID) { showQueued(item, loadQueue().length); }
      return wentOffline();
    }
    if (res.status === 401 || res.status === 403) {
      state.signedOut = true;
      renderStatus();
      return false;
    }
    if (res.status >= 500 || res.status === 429 || res.status === 408) { return wentOffline(); }
    state.online = true;
    state.retryMs = 1000;
    removeFromQueue(item.scan_id);
    if (res.ok) { applyResult(item, await res.json()); } else { failed(item, await errorMessage(res)); }
    return true;
  }

  function wentOffline() {
    state.online = false;
    renderStatus();
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(sync, state.retryMs);
    state.retryMs = Math.min(state.retryMs * 2, 15000);
    return false;
  }

  async function drain() {
    for (;;) {
      var q = loadQueue();
      if (!q.length || state.signedOut) { break; }
      if (!(await sendOne(q[0]))) { break; }
    }
    renderStatus();
  }

  // sync sends waiting scans in the order they were made; one tab at a
  // time, so two open pages never race over the same queue.
  async function sync() {
    if (state.syncing) { return; }
    state.syncing = true;
    try {
      if (navigator.locks && navigator.locks.request) {
        await navigator.locks.request('casetrack-scan-queue', drain);
      } else {
        await drain();
      }
    } finally {
      state.syncing = false;
    }
  }

  // ---- scanning -------------------------------------------------------------

  // scan takes one barcode from the input or the camera.
  function scan(raw, opts) {
    var barcode = String(raw || '').replace(/[\r\n\t]+/g, '').trim();
    if (!barcode) { return; }
    opts = opts || {};
    if (state.mode === 'lookup' && !opts.undo) { lookup(barcode); return; }
    var item = { scan_id: uuid(), barcode: barcode, scanned_at: new Date().toISOString(), device: state.device,
      channel: opts.channel || channel, mode: state.mode, location: opts.location || '', undo: !!opts.undo };
    if (!item.location && state.mode === 'receive' && state.here) { item.location = state.here; }
    var q = loadQueue();
    q.push(item);
    saveQueue(q);
    state.latestID = item.scan_id;
    addRecent({ id: item.scan_id, barcode: barcode, kind: 'queued', time: clock(new Date(item.scanned_at)), text: 'Waiting to send' });
    if (!state.online || state.signedOut) { showQueued(item, q.length); }
    renderStatus();
    sync();
  }

  function showQueued(item, n) {
    var o = { kind: 'queued', sound: 'queued', head: 'Saved on this device', line: item.barcode,
      route: n + ' waiting \u2013 will send when the connection is back' };
    show(o.kind, o.head, o.line, o.route);
    play(o.sound);
  }

  async function lookup(barcode) {
    var id = 'lookup-' + uuid();
    var item = { scan_id: id, barcode: barcode, scanned_at: new Date().toISOString() };
    state.latestID = id;
    try {
      var res = await fetch('/api/v1/volumes/' + encodeURIComponent(barcode), { credentials: 'same-origin' });
      if (res.status === 404) { return lookupLocation(item); }
      if (!res.ok) { return failed(item, await errorMessage(res)); }
      var v = await res.json();
      finish(item, { kind: 'info', sound: 'ok', head: 'At ' + place(v.current_location), line: patientLine(v),
        route: v.since ? 'since ' + new Date(v.since).toLocaleString('en-GB') : '' });
    } catch (e) {
      finish(item, { kind: 'error', sound: 'error', head: 'Offline', line: barcode, route: 'Look-up needs the connection.' });
    }
  }

  async function lookupLocation(item) {
    var res = await fetch('/api/v1/locations/' + encodeURIComponent(item.barcode), { credentials: 'same-origin' });
    if (!res.ok) {
      return finish(item, { kind: 'error', sound: 'error', head: 'Unknown barcode', line: item.barcode, route: 'Nothing has this barcode.' });
    }
    var l = await res.json();
    finish(item, { kind: 'location', sound: 'location', head: 'Location ' + l.code, line: l.name, route: '' });
  }

  function undo() {
    if (!state.lastMove) { return; }
    var m = state.lastMove;
    state.lastMove = null;
    scan(m.barcode, { location: m.back, undo: true });
  }

  // ---- modes --------------------------------------------------------------

  function setMode(m) {
    state.mode = m;
    localStorage.setItem('casetrack.mode', m);
    el('receive-at').hidden = m !== 'receive';
    renderTarget();
  }

  function setHere(code) {
    state.here = code;
    localStorage.setItem('casetrack.here', code);
    el('here').value = code;
    renderTarget();
  }

  // restoreTarget asks where this tab's device is booking to, so a reload
  // keeps showing the location its scans will go to.
  async function restoreTarget() {
    try {
      var res = await fetch('/api/v1/devices/' + encodeURIComponent(state.device), { credentials: 'same-origin' });
      if (!res.ok) { return; }
      var d = await res.json();
      if (d.location && !state.bookingTo) { state.bookingTo = { code: d.location.code, name: d.location.name }; }
      renderTarget();
    } catch (e) { /* offline: the queue will tell */ }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('input[name="mode"]'), function (r) {
      r.checked = r.value === state.mode;
      r.addEventListener('change', function () { setMode(r.value); api.refocus(); });
    });
    el('here').value = state.here;
    el('here').addEventListener('change', function () { setHere(el('here').value); });
    el('undo').addEventListener('click', function () { undo(); api.refocus(); });
    window.addEventListener('online', sync);
    window.addEventListener('storage', function (e) { if (e.key === QUEUE_KEY) { renderStatus(); } });
    setMode(state.mode);
    renderRecent();
    renderStatus();
    restoreTarget();
    sync();
  }

  var api = window.casetrack = {
    scan: scan,
    sync: sync,
    state: state,
    csrf: csrf,
    show: show,
    play: play,
    waiting: function () { return loadQueue().length; },
    refocus: function () {}
  };
  init();
})();
