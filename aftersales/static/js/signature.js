// Signature pad: the customer signs with a finger on the technician's phone; the drawing
// is sent as a PNG data URL in the form's hidden "signature" field.
(function () {
  "use strict";
  document.querySelectorAll("form[data-signature-pad]").forEach(function (form) {
    var canvas = form.querySelector("canvas");
    var field = form.querySelector("input[name=signature]");
    var context = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;

    function fit() {
      var ratio = window.devicePixelRatio || 1;
      canvas.width = canvas.clientWidth * ratio;
      canvas.height = canvas.clientHeight * ratio;
      context.scale(ratio, ratio);
      context.lineWidth = 2.5;
      context.lineCap = "round";
      context.strokeStyle = "#111";
      drawn = false;
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }

    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var at = point(event);
      context.beginPath();
      context.moveTo(at.x, at.y);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) { return; }
      var at = point(event);
      context.lineTo(at.x, at.y);
      context.stroke();
      drawn = true;
    });
    ["pointerup", "pointercancel"].forEach(function (name) {
      canvas.addEventListener(name, function () { drawing = false; });
    });
    form.querySelector("[data-clear]").addEventListener("click", function () {
      context.clearRect(0, 0, canvas.width, canvas.height);
      drawn = false;
    });
    form.addEventListener("submit", function (event) {
      if (!drawn) {
        event.preventDefault();
        form.querySelector("[data-empty]").hidden = false;
        return;
      }
      field.value = canvas.toDataURL("image/png");
    });
    fit();
  });
})();
