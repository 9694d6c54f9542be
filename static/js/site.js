// Every page: move the focus to a form's error summary, so keyboard and screen-reader users land on what to fix.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();

// Every page: a wide table that scrolls sideways in its box can be scrolled with the keyboard too (WCAG 2.1.1).
// Only a box that really overflows becomes a focusable region named by its table's caption, so narrow tables add
// no stop to the Tab order; boxes the markup already makes focusable are left as they are.
(function () {
  "use strict";
  var boxes = Array.prototype.filter.call(document.querySelectorAll(".table-scroll"), function (box) {
    return !box.hasAttribute("tabindex");
  });
  function update() {
    boxes.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (caption) { box.setAttribute("aria-label", caption.textContent.trim()); }
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  update();
  window.addEventListener("resize", update);
})();
