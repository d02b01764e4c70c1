// "Leave this site": without JavaScript it is a plain link. With it, the visit is replaced in
// the browser history, so the back button does not lead back here.
(function () {
  "use strict";
  function leave(url) {
    try { document.body.style.visibility = "hidden"; } catch (e) { /* nothing to hide */ }
    window.location.replace(url);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-quick-exit]") : null;
    if (!link) { return; }
    event.preventDefault();
    leave(link.href);
  });
  // Pressing Escape three times in a row also leaves.
  var presses = 0, timer = null;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    presses += 1;
    clearTimeout(timer);
    timer = setTimeout(function () { presses = 0; }, 1500);
    if (presses >= 3) {
      var link = document.querySelector("[data-quick-exit]");
      if (link) { leave(link.href); }
    }
  });
}());
