// Notes: record a voice message in the browser, and show only the timing
// details that apply. Without this script the form still works: the file
// input takes a recording made elsewhere, and every timing field is shown.
(function () {
  "use strict";
  var MAX_SECONDS = 300;
  var TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"];

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function extensionFor(type) {
    if (type.indexOf("ogg") !== -1) return "ogg";
    if (type.indexOf("mp4") !== -1) return "m4a";
    return "webm";
  }

  function clock(seconds) {
    var s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function setUpRecorder(box) {
    var input = box.querySelector("input[type=file]");
    if (!input || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia ||
        !window.MediaRecorder || !window.DataTransfer) return;
    var controls = document.createElement("div");
    controls.className = "recorder";
    controls.innerHTML =
      '<button type="button" class="secondary small" data-record>Record here</button>' +
      '<button type="button" class="small" data-stop hidden>Stop</button>' +
      '<span class="recorder-status" role="status" aria-live="polite"></span>' +
      '<audio controls hidden></audio>';
    input.insertAdjacentElement("beforebegin", controls);
    var record = controls.querySelector("[data-record]");
    var stop = controls.querySelector("[data-stop]");
    var status = controls.querySelector(".recorder-status");
    var preview = controls.querySelector("audio");
    var recorder = null;
    var timer = null;
    var started = 0;

    function finish() {
      if (recorder && recorder.state !== "inactive") recorder.stop();
    }

    record.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        var type = TYPES.filter(function (t) { return MediaRecorder.isTypeSupported(t); })[0];
        recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
        var chunks = [];
        recorder.addEventListener("dataavailable", function (e) { if (e.data.size) chunks.push(e.data); });
        recorder.addEventListener("stop", function () {
          clearInterval(timer);
          stream.getTracks().forEach(function (t) { t.stop(); });
          var mime = (recorder.mimeType || type || "audio/webm").split(";")[0];
          var blob = new Blob(chunks, { type: mime });
          var file = new File([blob], "voice-message." + extensionFor(mime), { type: mime });
          var transfer = new DataTransfer();
          transfer.items.add(file);
          input.files = transfer.files;
          preview.src = URL.createObjectURL(blob);
          preview.hidden = false;
          record.hidden = false;
          record.textContent = "Record again";
          stop.hidden = true;
          status.textContent = "Recorded " + clock((Date.now() - started) / 1000) + ". It goes with the note when you send it.";
          box.dataset.recorded = "true";
        });
        recorder.start(1000);
        started = Date.now();
        record.hidden = true;
        stop.hidden = false;
        preview.hidden = true;
        status.textContent = "Recording… 0:00";
        timer = setInterval(function () {
          var seconds = (Date.now() - started) / 1000;
          status.textContent = "Recording… " + clock(seconds);
          if (seconds >= MAX_SECONDS) finish();
        }, 500);
      }, function () {
        status.textContent = "The microphone isn't available here. You can still choose a recording below.";
      });
    });
    stop.addEventListener("click", finish);
  }

  function setUpTiming(form) {
    var radios = form.querySelectorAll("input[name=timing]");
    var details = form.querySelectorAll(".when-detail");
    if (!radios.length) return;
    function show() {
      var chosen = form.querySelector("input[name=timing]:checked");
      details.forEach(function (d) { d.hidden = !chosen || d.dataset.for !== chosen.value; });
    }
    radios.forEach(function (r) { r.addEventListener("change", show); });
    show();
  }

  ready(function () {
    document.querySelectorAll("[data-recorder]").forEach(setUpRecorder);
    var form = document.getElementById("note-form");
    if (form) setUpTiming(form);
  });
})();
