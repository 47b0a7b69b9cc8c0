// Check-up: a live "n of N answered" count; the form works without it.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var form = document.querySelector("form[data-checkup]");
    if (!form) return;
    var box = form.querySelector("[data-progress]");
    var text = form.querySelector("[data-progress-text]");
    var bar = box && box.querySelector("progress");
    if (!box || !text || !bar) return;
    var names = [];
    form.querySelectorAll("fieldset.item input[type=radio]").forEach(function (input) {
      if (names.indexOf(input.name) === -1) names.push(input.name);
    });
    function update() {
      var done = names.filter(function (name) {
        return form.querySelector('input[name="' + name + '"]:checked');
      }).length;
      bar.value = done;
      text.textContent = done === names.length
        ? "All " + names.length + " answered"
        : done + " of " + names.length + " answered";
    }
    box.hidden = false;
    form.addEventListener("change", update);
    update();
    var errors = document.getElementById("form-errors");
    if (errors) errors.focus();
  });
})();
