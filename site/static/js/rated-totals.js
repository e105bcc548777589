/*
 * The total row of a rated table (Mẫu 02 §2–3, Mẫu 04 §3: each criterion rated high,
 * medium or low) counted again as levels are picked. The server counts the same way
 * whenever the step is shown, so without this script the total is right after each
 * post; with it, it is right at once. Only this table's own choices are counted, not
 * the levels of the assessment shown beside a review's.
 */
(function () {
  "use strict";

  function recount(table) {
    var counts = {};
    table.querySelectorAll("tbody input[type=radio]:checked").forEach(function (input) {
      counts[input.value] = (counts[input.value] || 0) + 1;
    });
    table.querySelectorAll("[data-level-count]").forEach(function (cell) {
      cell.textContent = String(counts[cell.getAttribute("data-level-count")] || 0);
    });
  }

  document.querySelectorAll("[data-rated-table]").forEach(function (table) {
    table.addEventListener("change", function (event) {
      if (event.target.matches("input[type=radio]")) {
        recount(table);
      }
    });
  });
})();
