/*
 * "Thoát nhanh" (quick exit): leave the site at once for a neutral page, by the
 * button or the Esc key, for a child reading over someone's shoulder.
 * location.replace() keeps this page out of the back-button history; the page is
 * blanked first so nothing stays on screen while the other site loads.
 */
(function () {
  "use strict";
  function leave(url) {
    document.documentElement.style.visibility = "hidden";
    document.title = "";
    window.location.replace(url);
  }
  function exitUrl() {
    var link = document.querySelector("[data-quick-exit]");
    return link ? link.href : null;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (!link) return;
    event.preventDefault();
    leave(link.href);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    var url = exitUrl();
    if (url) leave(url);
  });
})();
