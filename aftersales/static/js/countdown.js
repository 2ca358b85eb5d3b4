// Live countdowns to a complaint's next breach (complaints pages). Each
// <span class="countdown" data-due="ISO" data-warn="ISO"> shows the time left and its
// state: ok, soon (the last quarter of the target) or over (overdue, counting up).
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function text(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600);
    var m = Math.floor(s % 3600 / 60), r = s % 60;
    return (d ? d + "d " : "") + pad(h) + ":" + pad(m) + ":" + pad(r);
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-due]").forEach(function (el) {
      var due = Date.parse(el.dataset.due);
      var warn = el.dataset.warn ? Date.parse(el.dataset.warn) : due;
      var left = due - now;
      var state = left < 0 ? "over" : (now >= warn ? "soon" : "ok");
      el.dataset.state = state;
      el.className = "countdown " + state;
      el.textContent = left < 0 ? (el.dataset.overLabel || "overdue") + " " + text(left) : text(left);
      el.title = el.dataset.due;
    });
  }
  tick();
  setInterval(tick, 1000);
})();
