// Follows the work under way on the audit periods page (periods being frozen, packages
// being built): an export's bar moves with its progress, and the page reloads when a
// piece of work ends (frozen, ready, failed or cancelled).
(function () {
  "use strict";
  var UNDER_WAY = ["queued", "running"];

  function follow(item) {
    var bar = item.querySelector("progress");
    var steps = item.querySelector(".ev-steps");
    function poll() {
      fetch(item.dataset.followUrl, { credentials: "same-origin",
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

  document.querySelectorAll(".ev-export, .ev-freeze").forEach(function (item) {
    if (UNDER_WAY.indexOf(item.dataset.status) >= 0) { follow(item); }
  });
})();
