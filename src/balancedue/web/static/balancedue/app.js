// balancedue web app: drag and drop onto the notice field, a progress line for slow forms, and
// the value of the notice field chosen for a correction.
"use strict";
document.addEventListener("DOMContentLoaded", function () { bindDropzones(document); bindBusy(document); bindFieldValues(document); });

// A box marked data-values follows the field chosen in the list data-values-for names: choosing
// "Tax year" puts the tax year as it stands in the box, ready to correct.
function bindFieldValues(root) {
  root.querySelectorAll("[data-values]").forEach(function (input) {
    var values = JSON.parse(input.dataset.values);
    var select = document.getElementById(input.dataset.valuesFor);
    if (!select) { return; }
    select.addEventListener("change", function () { input.value = values[select.value] || ""; });
  });
}

// A form marked data-busy shows its progress line while the server works (reading a photo takes seconds).
function bindBusy(root) {
  root.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var line = document.getElementById(form.dataset.busy);
      if (line) { line.classList.add("busy"); }
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    });
  });
}
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
