// casetrack camera page: the device's camera (the rear one on a phone)
// shows a preview; a few frames a second go to the server to be decoded,
// because Windows ward PCs have no BarcodeDetector. A label held in view is
// seen in many frames but is one scan: a code is taken again only after it
// has been out of sight for DEBOUNCE_MS. While the camera runs only Stop is
// offered, and only Start while it is off.
(function () {
  'use strict';
  var ct = window.casetrack;
  var video = document.getElementById('video');
  var canvas = document.getElementById('frame');
  var stateEl = document.getElementById('camera-state');
  var problem = document.getElementById('camera-problem');
  var startButton = document.getElementById('camera-start');
  var stopButton = document.getElementById('camera-stop');
  if (!ct || !video) { return; }

  var FRAME_MS = 300;
  var DEBOUNCE_MS = 4000;
  var MAX_WIDTH = 1280;
  var stream = null, timer = 0, busy = false, seen = {};

  function say(s) { stateEl.textContent = s; }

  // running shows the one button that makes sense now; focus on the button
  // that goes moves to the one that comes.
  function running(on) {
    var hide = on ? startButton : stopButton, show = on ? stopButton : startButton;
    var moveFocus = document.activeElement === hide;
    hide.hidden = true;
    show.hidden = false;
    if (moveFocus) { show.focus(); }
  }

  function fail(msg) {
    problem.textContent = msg;
    problem.hidden = false;
    say('Camera off');
    running(false);
    ct.play('error');
  }

  // explain turns getUserMedia's error into what to do about it.
  function explain(err) {
    switch (err && err.name) {
      case 'NotAllowedError': case 'SecurityError':
        return 'The browser was not allowed to use the camera. Allow the camera for this site (the camera icon in the address bar, or the browser\u2019s site settings), then press Start camera.';
      case 'NotFoundError': case 'OverconstrainedError':
        return 'No camera was found on this device. Use the scan station with a barcode scanner instead.';
      case 'NotReadableError':
        return 'The camera is in use by another app. Close it, then press Start camera.';
    }
    return 'The camera could not be started (' + (err && err.name || 'unknown error') + ').';
  }

  async function start() {
    problem.hidden = true;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return fail('This browser cannot use a camera on this page. Cameras need a secure (https) connection.');
    }
    if (stream) { return; }
    say('Starting camera\u2026');
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: false,
        video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } } });
    } catch (err) {
      stream = null;
      return fail(explain(err));
    }
    video.srcObject = stream;
    try { await video.play(); } catch (e) { /* autoplay of a muted stream is allowed */ }
    say('Camera on \u2013 hold a label in the frame');
    running(true);
    timer = setInterval(grab, FRAME_MS);
  }

  function stop() {
    clearInterval(timer);
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.srcObject = null;
    say('Camera off');
    running(false);
  }

  function grab() {
    if (busy || !stream || document.hidden || video.readyState < 2 || !video.videoWidth) { return; }
    var scale = Math.min(1, MAX_WIDTH / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
    busy = true;
    canvas.toBlob(function (blob) { decode(blob).finally(function () { busy = false; }); }, 'image/jpeg', 0.85);
  }

  async function decode(blob) {
    if (!blob) { return; }
    var fd = new FormData();
    fd.append('image', blob, 'frame.jpg');
    fd.append('action', 'decode');
    var res;
    try {
      res = await fetch('/api/v1/scans/image', { method: 'POST', body: fd, credentials: 'same-origin',
        headers: { 'X-CSRF-Token': ct.csrf, 'X-Casetrack-Channel': 'camera' } });
    } catch (e) {
      say('Offline \u2013 the camera needs the connection to read labels');
      return;
    }
    if (res.status === 401 || res.status === 403) { stop(); ct.state.signedOut = true; ct.sync(); return; }
    if (!res.ok) { return; } // 422: nothing readable in this frame
    var body = await res.json();
    say('Camera on \u2013 hold a label in the frame');
    // API.md names the field text; older servers sent Text.
    (body.codes || []).forEach(function (c) { take(c.text || c.Text); });
  }

  // take scans a code unless it was in view within the debounce window.
  function take(code) {
    var now = Date.now(), last = seen[code];
    seen[code] = now;
    if (last && now - last < DEBOUNCE_MS) { return; }
    ct.scan(code, { channel: 'camera' });
  }

  startButton.addEventListener('click', start);
  stopButton.addEventListener('click', stop);
  document.addEventListener('visibilitychange', function () {
    if (document.hidden) { stop(); }
  });
  window.addEventListener('pagehide', stop);
  start();
})();
