// The coach in composers: choosing a phrase or a suggestion changes the text in
// place, and the coach looks again. Without this file the same buttons submit
// the form and the page comes back with the text changed.
(function () {
  "use strict";
  function fieldFor(button) {
    var form = button.closest("form");
    var holder = button.closest("[data-coach-field]");
    if (!form || !holder) return null;
    var field = form.elements.namedItem(holder.getAttribute("data-coach-field"));
    return field && field.tagName === "TEXTAREA" ? field : null;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-coach-replace], [data-coach-append]");
    if (!button) return;
    var field = fieldFor(button);
    if (!field) return;
    event.preventDefault();
    var text;
    if (button.hasAttribute("data-coach-replace")) {
      text = button.getAttribute("data-coach-replace");
    } else {
      text = (field.value.replace(/\s+$/, "") + " " + button.getAttribute("data-coach-append")).trim();
    }
    var max = parseInt(field.getAttribute("maxlength"), 10);
    field.value = max > 0 ? text.slice(0, max) : text;
    field.focus();
    field.setSelectionRange(field.value.length, field.value.length);
    if (window.htmx) window.htmx.trigger(field, "keyup");
  });
})();
