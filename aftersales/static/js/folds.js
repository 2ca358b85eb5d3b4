// Long sections marked data-fold-on-phone arrive open (so nothing is hidden from a browser
// without this script) and fold on a phone-sized screen, their summary line saying what is
// inside. A section holding a refusal or the address's target stays open.
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 640px)").matches) { return; }
  var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  document.querySelectorAll("details[data-fold-on-phone]").forEach(function (fold) {
    if (fold.querySelector(".field-error") || (target && fold.contains(target))) { return; }
    fold.open = false;
  });
})();
