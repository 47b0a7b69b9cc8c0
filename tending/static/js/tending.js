// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  // The service worker (tending/ops/webapp.py): offline page and notifications. Registered
  // once the page has loaded, so that its install (which fetches every static file) does not
  // compete with the page for the network and the processor.
  var manifest = document.querySelector("link[rel=manifest][data-service-worker]");
  if (manifest && "serviceWorker" in navigator) {
    var register = function () {
      navigator.serviceWorker.register(manifest.dataset.serviceWorker, { scope: "/" })
        .catch(function () { /* the site works the same without it */ });
    };
    if (document.readyState === "complete") register(); else window.addEventListener("load", register);
  }
  ready(function () {
    // Pre-select the browser's own time zone on a fresh sign-up form.
    var zone = document.querySelector("select[data-detect-zone]");
    if (zone && zone.value === "UTC") {
      try {
        var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
        if (tz && zone.querySelector('option[value="' + tz.replace(/"/g, "") + '"]')) zone.value = tz;
      } catch (e) { /* keep the server's default */ }
    }
    // Quick exit: leave without leaving this page in the back history.
    document.querySelectorAll("[data-quick-exit]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        window.location.replace(link.href);
      });
    });
    // "Copy link" buttons.
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var input = document.querySelector(button.dataset.copy);
        if (!input) return;
        input.select();
        var done = function () { button.textContent = "Copied"; };
        if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(done, function () {});
        else { document.execCommand("copy"); done(); }
      });
    });
  });
})();
