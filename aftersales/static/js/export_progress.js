// Follows the exports being built on the audit periods page: the bar moves with the
// build's progress, and the page reloads when one ends (ready, failed or cancelled).
(function () {
  "use strict";
  var UNDER_WAY = ["queued", "running"];

  function follow(item) {
    var bar = item.querySelector("progress");
    var steps = item.querySelector(".ev-steps");
    function poll() {
      fetch(item.dataset.exportUrl, { credentials: "same-origin",
                                      headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) { return; }
          if (UNDER_WAY.indexOf(state.status) < 0) { window.location.reload(); return; }
          if (bar && state.steps_total) {
            bar.max = state.steps_total;
            bar.value = state.steps_done;
          }
          if (steps) { steps.textContent = state.steps_done + " / " + (state.steps_total || "…"); }
          window.setTimeout(poll, 2000);
        })
        .catch(function () { window.setTimeout(poll, 5000); });  // offline for a moment
    }
    window.setTimeout(poll, 2000);
  }

  document.querySelectorAll(".ev-export").forEach(function (item) {
    if (UNDER_WAY.indexOf(item.dataset.status) >= 0) { follow(item); }
  });
})();
