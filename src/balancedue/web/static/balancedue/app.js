// balancedue web app: drag and drop onto the notice field; nothing else runs here.
"use strict";
document.addEventListener("DOMContentLoaded", function () { bindDropzones(document); });
document.addEventListener("htmx:afterSettle", function (event) { bindDropzones(event.target); });

function bindDropzones(root) {
  root.querySelectorAll("[data-dropzone]").forEach(function (zone) {
    if (zone.dataset.bound) { return; }
    zone.dataset.bound = "1";
    var input = document.getElementById(zone.dataset.dropzone);
    if (!input) { return; }
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; }
    });
  });
}
