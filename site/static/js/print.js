/*
 * The poster's Print button. It ships hidden so that, without JavaScript, nobody
 * sees a button that does nothing; the browser's own Print still works.
 */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
