/*
 * A form posted with mistakes comes back with its error summary (error_summary.html)
 * wherever the page put it, often below a long summary of the case or the plan.
 * Bring the summary into view and give it focus, so the user sees, and a screen
 * reader reads, what to correct; each of its links then puts the cursor in its
 * field (a group of radio buttons or checkboxes: in the first of them). Without
 * JavaScript the summary is still there, with plain links.
 */
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (!summary) {
    return;
  }

  summary.setAttribute("tabindex", "-1");
  summary.scrollIntoView({ block: "start" });
  summary.focus({ preventScroll: true });

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) {
      return;
    }
    var field = target.matches("input, select, textarea, button")
      ? target
      : target.querySelector("input:not([type=hidden]), select, textarea");
    if (!field) {
      return;
    }
    event.preventDefault();
    (field.closest("fieldset, .w-field, [data-field]") || field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });
})();
