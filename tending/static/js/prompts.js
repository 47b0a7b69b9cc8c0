// The gentle speaking timer on the weekly conversation page. Without it, the page still
// shows whose turn it is and the "Switch turns" button.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  function format(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  ready(function () {
    var box = document.querySelector("[data-turn-timer]");
    if (!box) return;
    var total = Math.max(1, parseInt(box.dataset.minutes, 10) || 5) * 60;
    var face = box.querySelector("[data-timer-left]");
    var toggle = box.querySelector("[data-timer-toggle]");
    var done = box.querySelector("[data-timer-done]");
    var left = total, ticking = null;
    function stop() { clearInterval(ticking); ticking = null; }
    function tick() {
      left -= 1;
      face.textContent = format(Math.max(left, 0));
      if (left <= 0) {
        stop();
        done.hidden = false;
        toggle.textContent = "Start again";
        left = total;
      }
    }
    toggle.addEventListener("click", function () {
      if (ticking) {
        stop();
        toggle.textContent = "Carry on";
        return;
      }
      done.hidden = true;
      face.textContent = format(left);
      ticking = setInterval(tick, 1000);
      toggle.textContent = "Pause";
    });
    box.hidden = false;
  });
})();
