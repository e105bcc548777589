/*
 * Rows of goals and activities in the plan wizard (Mẫu 03), added and removed in
 * place. Without JavaScript the same buttons submit the form and the server adds
 * or removes the row, so this script only saves a round trip. A removed row is
 * hidden and its DELETE field set, so the server drops it; a new row is a copy of
 * the formset's empty form kept in a <template>.
 */
(function () {
  "use strict";

  function renumber(container) {
    var number = 0;
    container.querySelectorAll("[data-rows-body] > [data-row]").forEach(function (row) {
      if (row.hidden) {
        return;
      }
      number += 1;
      row.querySelectorAll("[data-row-number]").forEach(function (element) {
        element.textContent = String(number);
      });
    });
  }

  function setUp(container) {
    var body = container.querySelector("[data-rows-body]");
    var template = container.querySelector("template[data-rows-template]");
    var total = container.querySelector('input[name$="-TOTAL_FORMS"]');
    var max = container.querySelector('input[name$="-MAX_NUM_FORMS"]');
    var addButton = container.querySelector("[data-rows-add]");
    if (!body || !template || !total) {
      return;
    }

    container.addEventListener("click", function (event) {
      var remove = event.target.closest("[data-rows-remove]");
      if (remove && container.contains(remove)) {
        var row = remove.closest("[data-row]");
        var flag = row && row.querySelector('input[name$="-DELETE"]');
        if (!flag) {
          return; // Let the server remove it.
        }
        event.preventDefault();
        flag.value = "on";
        row.hidden = true;
        renumber(container);
        var next = addButton || container.querySelector("[data-rows-body] > [data-row]:not([hidden]) textarea");
        if (next) {
          next.focus();
        }
        return;
      }

      var add = event.target.closest("[data-rows-add]");
      if (add && container.contains(add)) {
        var index = parseInt(total.value, 10);
        // At the limit the server adds the row, after dropping the removed ones.
        if (isNaN(index) || (max && index >= parseInt(max.value, 10))) {
          return;
        }
        event.preventDefault();
        var holder = document.createElement(body.tagName);
        holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
        var newRow = holder.querySelector("[data-row]");
        if (!newRow) {
          return;
        }
        body.appendChild(newRow);
        total.value = String(index + 1);
        renumber(container);
        var first = newRow.querySelector("textarea, input:not([type=hidden]), select");
        if (first) {
          first.focus();
        }
      }
    });
  }

  document.querySelectorAll("[data-rows]").forEach(setUp);
})();
