// casetrack scan core, shared by the scan station and the camera page.
// Every scan is written to this browser's queue (localStorage) before it is
// sent, and leaves the queue only when the server has answered it, so a
// scan made while the network is down is sent, in order, when it returns.
// Each scan has its own id, so sending it twice changes nothing. Each scan
// carries the name of the person who made it and only they send it: on a
// shared PC the next person to sign in sees that scans are waiting, but
// never sends them as their own. A scan that fails stays on screen, with
// its own sound, until the person says they have dealt with it.
(function () {
  'use strict';

  var QUEUE_KEY = 'casetrack.queue.v1';
  var root = document.getElementById('scanner');
  if (!root) { return; }
  var channel = root.getAttribute('data-channel') || 'station';
  var user = root.getAttribute('data-user') || '';
  // What this tab keeps for its signed-in person only.
  var RECENT_KEY = 'casetrack.recent.v2.' + user;
  var ATTENTION_KEY = 'casetrack.attention.v1.' + user;
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
    recent: loadJSON(sessionStorage, RECENT_KEY, []),
    attention: loadJSON(sessionStorage, ATTENTION_KEY, [])
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

  // deviceID names this tab, for this person, as a scanning device, so the
  // server keeps "booking to" for it; a new tab, or the next person to
  // sign in on it, starts with no location.
  function deviceID() {
    var key = 'casetrack.device.' + user, id = sessionStorage.getItem(key);
    if (!id) {
      id = channel + '-' + uuid().slice(0, 13);
      sessionStorage.setItem(key, id);
    }
    return id;
  }

  function loadJSON(store, key, def) {
    try { var v = JSON.parse(store.getItem(key)); return v || def; } catch (e) { return def; }
  }
  // The queue holds every person's waiting scans; a scan saved before
  // scans were named has no user, so nobody may send it as theirs.
  function loadQueue() { return loadJSON(localStorage, QUEUE_KEY, []); }
  function saveQueue(q) { localStorage.setItem(QUEUE_KEY, JSON.stringify(q)); }
  function isMine(it) { return it.user === user; }
  function myQueue() { return loadQueue().filter(isMine); }
  function othersWaiting() { return loadQueue().filter(function (it) { return !isMine(it); }).length; }
  function removeFromQueue(id) {
    saveQueue(loadQueue().filter(function (it) { return it.scan_id !== id; }));
  }

  // ---- sound --------------------------------------------------------------

  var audio = null, quietAt = 0;
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
    found: [[660, 0, 0.1, 'sine'], [880, 0.12, 0.1, 'sine'], [1320, 0.24, 0.1, 'sine'], [1760, 0.36, 0.25, 'sine']],
    error: [[180, 0, 0.22, 'square'], [140, 0.26, 0.3, 'square']],
    wanted: [[988, 0, 0.12, 'sawtooth'], [1319, 0.15, 0.12, 'sawtooth'], [988, 0.3, 0.12, 'sawtooth'], [1319, 0.45, 0.25, 'sawtooth']],
    fulfils: [[1047, 0, 0.1, 'sine'], [1319, 0.1, 0.1, 'sine'], [1568, 0.2, 0.2, 'sine']]
  };
  // play sounds a tune after any still playing, so an error followed at
  // once by a good scan is heard as both; a catch-up of many answers is
  // not drawn out beyond a couple of seconds of sound.
  function play(kind) {
    if (kind === 'error' && navigator.vibrate) { navigator.vibrate([200, 100, 200]); }
    try {
      var AC = window.AudioContext || window.webkitAudioContext;
      if (!AC) { return; }
      audio = audio || new AC();
      if (audio.state === 'suspended') { audio.resume(); }
      var at = Math.max(0, quietAt - audio.currentTime);
      if (at > 2) { return; }
      (tunes[kind] || []).forEach(function (n) {
        beep(n[0], at + n[1], n[2], n[3], audio);
        quietAt = Math.max(quietAt, audio.currentTime + at + n[1] + n[2] + 0.05);
      });
    } catch (e) { /* no sound is better than no scan */ }
  }

  // ---- display ------------------------------------------------------------

  function text(tag, cls, s) {
    var n = document.createElement(tag);
    if (cls) { n.className = cls; }
    n.textContent = s;
    return n;
  }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

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
  function show(kind, headline, line, route, small, relabel) {
    var f = el('feedback');
    f.className = 'feedback ' + kind;
    f.textContent = '';
    f.appendChild(text('p', 'headline', headline));
    if (line) { f.appendChild(text('p', 'who-what', line)); }
    if (route) { f.appendChild(text('p', 'route', route)); }
    if (relabel) { f.appendChild(text('p', 'relabel', relabel)); }
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

  function scanRow(tag, r) {
    var li = document.createElement(tag);
    li.className = r.kind;
    li.setAttribute('data-scan-id', r.id);
    li.appendChild(text('span', 't', r.time));
    var d = document.createElement('span');
    d.appendChild(text('span', 'what', r.text));
    d.appendChild(document.createElement('br'));
    d.appendChild(text('span', 'code', r.barcode));
    li.appendChild(d);
    return li;
  }

  function renderRecent() {
    var ol = el('recent');
    ol.textContent = '';
    state.recent.forEach(function (r) { ol.appendChild(scanRow('li', r)); });
  }

  // ---- failures -------------------------------------------------------------

  // needsAttention keeps a failed scan on screen, whatever comes after it,
  // and sounds the error: a later good scan must not hide it.
  function needsAttention(entry) {
    state.attention.push(entry);
    sessionStorage.setItem(ATTENTION_KEY, JSON.stringify(state.attention));
    renderAttention();
    play('error');
  }

  function acknowledge() {
    state.attention = [];
    sessionStorage.removeItem(ATTENTION_KEY);
    renderAttention();
  }

  function renderAttention() {
    var box = el('attention'), n = state.attention.length, ul = el('attention-list');
    box.hidden = n === 0;
    box.setAttribute('data-count', String(n));
    el('attention-count').textContent = plural(n, 'scan needs', 'scans need') + ' attention';
    ul.textContent = '';
    state.attention.forEach(function (r) { ul.appendChild(scanRow('li', r)); });
  }

  function renderStatus() {
    var n = myQueue().length, others = othersWaiting(), conn = el('conn'), q = el('queue');
    conn.textContent = state.online ? 'Online' : 'Offline';
    conn.className = 'pill ' + (state.online ? 'online' : 'offline');
    q.textContent = n === 0 ? 'All scans sent' : plural(n, 'scan', 'scans') + ' waiting to send';
    q.className = 'pill' + (n ? ' waiting' : '');
    q.setAttribute('data-waiting', String(n));
    var f = el('others-waiting');
    f.hidden = others === 0;
    f.setAttribute('data-waiting', String(others));
    f.textContent = others === 1 ? '1 scan by another user is waiting: they must sign in to send it.' :
      others + ' scans by another user are waiting: they must sign in to send them.';
    el('signed-out').hidden = !state.signedOut;
    renderUndo();
  }

  function renderUndo() {
    var u = el('undo'), m = state.lastMove;
    u.disabled = !m;
    u.textContent = m ? 'Undo: ' + (m.who || m.barcode) + ' back to ' + m.back : 'Undo last scan';
    u.title = m ? m.barcode : '';
  }

  function renderTarget() {
    var name = el('target-name'), label = el('target-label');
    if (api.sweep) { api.sweep.renderTarget(state.mode, name, label); if (state.mode === 'sweep') { return; } }
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
    name.textContent = t ? place(t) : (state.mode === 'receive' ? 'Choose where this station is' : 'Scan a location barcode first');
    name.className = 'target-name' + (t ? '' : ' none');
    name.setAttribute('data-code', t ? t.code : '');
  }

  function hereOption(code) {
    return el('here').querySelector('option[value="' + code.replace(/["\\]/g, '') + '"]');
  }

  function hereName(code) {
    var o = hereOption(code);
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
    // Undo stays offered until it is used or another folder moves: a scan
    // that finds a folder already here, or fails, does not take it away.
    if (item.undo) {
      state.lastMove = null;
    } else if (r.result === 'moved' && r.previous_location) {
      state.lastMove = { barcode: item.barcode, back: r.previous_location.code, who: patientLine(r.volume) };
    }
    var o = outcome(item, r);
    // FOUND first: where the folder must go next, if anywhere, still
    // heads the panel, with the finding beside it.
    if (r.found) { o = foundOutcome(o); }
    if (window.casetrackRouting) { o = window.casetrackRouting.feedback(o, r); }
    if (r.relabel) { o = relabelOutcome(o, r.relabel); }
    finish(item, o, r.time_adjusted ? r.message : '');
  }

  // relabelOutcome keeps what the scan says (where the folder must go
  // still heads the panel) and adds, unmistakably, that its label is out
  // of date after a merge (SAFETY.md H05).
  function relabelOutcome(o, n) {
    var plain = o.kind === 'ok' || o.kind === 'here';
    return { kind: plain ? 'relabel' : o.kind, sound: o.sound, head: plain ? o.head + ' \u2013 RELABEL' : o.head,
      line: o.line, route: o.route, brief: plain ? o.brief : (o.brief || o.route || '') + ' \u2013 RELABEL', relabel: n.message };
  }

  // foundOutcome makes a scan that found a missing volume unmistakable: a
  // panel, a headline and a tune of its own.
  function foundOutcome(o) {
    return { kind: 'found', sound: 'found', head: 'FOUND', line: o.line,
      route: o.route + ' \u2013 it was missing and is active again: tell the records office.', brief: o.brief };
  }

  // finish shows an answer: in the list always, in the big panel when it
  // is the latest scan, and in the attention bar when it failed.
  function finish(item, o, small) {
    var row = { id: item.scan_id, barcode: item.barcode, kind: o.kind, time: clock(new Date(item.scanned_at)),
      text: o.head + (o.line ? ' \u2013 ' + o.line : '') + ((o.brief || o.route) ? ' \u2013 ' + (o.brief || o.route) : '') };
    addRecent(row);
    var latest = item.scan_id === state.latestID;
    if (latest) { show(o.kind, o.head, o.line, o.route, small, o.relabel); }
    if (o.kind === 'error' && !item.lookup) { needsAttention(row); } else if (latest) { play(o.sound); }
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
    if (item.sweep) { body.sweep = item.sweep; }
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
      if (state.online && item.scan_id === state.latestID) { showQueued(item, myQueue().length); }
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

  // drain sends this person's waiting scans, oldest first; other people's
  // stay for them.
  async function drain() {
    for (;;) {
      var q = myQueue();
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
    if (state.mode === 'receive' && !state.here && !opts.location) { chooseHere(barcode); return; }
    var item = { scan_id: uuid(), barcode: barcode, scanned_at: new Date().toISOString(), device: state.device,
      channel: opts.channel || channel, mode: state.mode, location: opts.location || '', undo: !!opts.undo,
      user: user };
    if (!item.location && state.mode === 'receive') { item.location = state.here; }
    if (state.mode === 'sweep' && api.sweep && !api.sweep.prepare(item)) { return; }
    var q = loadQueue();
    q.push(item);
    saveQueue(q);
    state.latestID = item.scan_id;
    addRecent({ id: item.scan_id, barcode: barcode, kind: 'queued', time: clock(new Date(item.scanned_at)), text: 'Waiting to send' });
    if (!state.online || state.signedOut) { showQueued(item, myQueue().length); }
    renderStatus();
    sync();
  }

  function showQueued(item, n) {
    var o = { kind: 'queued', sound: 'queued', head: 'Saved on this device', line: item.barcode,
      route: n + ' waiting \u2013 will send when the connection is back' };
    show(o.kind, o.head, o.line, o.route);
    play(o.sound);
  }

  // answerOnly is a scan that asks and sends nothing: a look-up, or the
  // choice of where a receiving station is.
  function answerOnly(barcode, kind) {
    var item = { scan_id: kind + '-' + uuid(), barcode: barcode, scanned_at: new Date().toISOString(),
      lookup: kind === 'lookup' };
    state.latestID = item.scan_id;
    return item;
  }

  // findLocation asks which location a code or barcode names; null when
  // none does or the server cannot be asked.
  async function findLocation(barcode) {
    try {
      var res = await fetch('/api/v1/locations/' + encodeURIComponent(barcode), { credentials: 'same-origin' });
      return res.ok ? await res.json() : null;
    } catch (e) { return null; }
  }

  // chooseHere handles a scan in receive mode before the station's place is
  // known: a location's barcode says where the station is; anything else is
  // refused, never booked to some earlier place. Nothing is sent as a scan.
  async function chooseHere(barcode) {
    var item = answerOnly(barcode, 'here');
    var l = await findLocation(barcode);
    if (l) {
      setHere(l.code, l.name);
      return finish(item, { kind: 'location', sound: 'location', head: 'Receiving at ' + l.code, line: l.name,
        route: 'Now scan the notes.' });
    }
    finish(item, { kind: 'error', sound: 'error', head: 'Choose where this station is', line: barcode,
      route: 'Nothing sent, nothing moved. Choose this station\u2019s location, then scan the notes again.' });
  }

  async function lookup(barcode) {
    var item = answerOnly(barcode, 'lookup');
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
    var l = await findLocation(item.barcode);
    if (!l) {
      return finish(item, { kind: 'error', sound: 'error', head: 'Unknown barcode', line: item.barcode, route: 'Nothing has this barcode.' });
    }
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
    if (api.sweep) { api.sweep.mode(m); }
    renderTarget();
  }

  // setHere says where a receiving station is. A place the list does not
  // hold (it shows the first 500) is added to it, so the list shows it.
  function setHere(code, name) {
    if (code && !hereOption(code)) {
      var o = text('option', '', (name || code) + ' (' + code + ')');
      o.value = code;
      el('here').appendChild(o);
    }
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
    setHere(state.here);
    el('here').addEventListener('change', function () { setHere(el('here').value); });
    el('undo').addEventListener('click', function () { undo(); api.refocus(); });
    el('attention-ack').addEventListener('click', function () { acknowledge(); api.refocus(); });
    sessionStorage.removeItem('casetrack.recent.v1'); // kept before lists were each person's own
    window.addEventListener('online', sync);
    window.addEventListener('storage', function (e) { if (e.key === QUEUE_KEY) { renderStatus(); } });
    setMode(state.mode);
    renderRecent();
    renderAttention();
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
    waiting: function () { return myQueue().length; },
    refocus: function () {}
  };
  init();
})();
