// Account → Devices: allow push notifications on this phone. Nothing is asked
// on page load: the browser's question comes only after the person taps.
(function () {
  "use strict";
  var box = document.querySelector("[data-push]");
  if (!box) return;
  var button = box.querySelector("[data-push-allow]");
  var status = box.querySelector("[data-push-status]");
  function say(text) { status.textContent = text; }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("This browser can't receive push notifications. Notifications still appear in the app, and by email if you choose.");
    return;
  }
  if (Notification.permission === "denied") {
    say("Notifications are blocked for this site in your browser's settings. Allow them there first, then come back.");
    return;
  }
  function key(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }
  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    say("Asking your browser…");
    Notification.requestPermission().then(function (answer) {
      if (answer !== "granted") throw new Error("not allowed");
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return registration.pushManager.getSubscription().then(function (existing) {
        return existing || registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: key(box.dataset.vapidKey)
        });
      });
    }).then(function (subscription) {
      return fetch(box.dataset.addUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(subscription.toJSON())
      });
    }).then(function (response) {
      if (!response.ok) throw new Error("refused");
      say("Done: this phone will get push notifications.");
      window.location.reload();
    }).catch(function (error) {
      button.disabled = false;
      say(error && error.message === "not allowed"
        ? "Notifications were not allowed, so nothing changed. You can try again at any time."
        : "That didn't work, and nothing changed. Please try again in a moment.");
    });
  });
})();
