// Every page: move the focus to a form's error summary, so keyboard and screen-reader users land on what to fix.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
})();
