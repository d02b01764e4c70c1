// "Leave this site": without JavaScript it is a plain link. With it, the visit is replaced in
// the browser history, so the back button does not lead back here, and pressing Shift (or
// Escape) three times in a row leaves from anywhere on the page, as GOV.UK's "exit this page".
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
  var exit = document.querySelector("[data-quick-exit]");
  if (exit && exit.getAttribute("data-shortcut")) {
    // Said to screen readers only where the shortcut works: with this script.
    var hint = document.createElement("span");
    hint.className = "visually-hidden";
    hint.textContent = " " + exit.getAttribute("data-shortcut");
    exit.appendChild(hint);
  }
  var presses = 0, last = "", timer = null;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" && event.key !== "Escape") { presses = 0; return; }
    presses = event.key === last ? presses + 1 : 1;
    last = event.key;
    clearTimeout(timer);
    timer = setTimeout(function () { presses = 0; }, 2000);
    if (presses >= 3 && exit) { leave(exit.href); }
  });
}());
