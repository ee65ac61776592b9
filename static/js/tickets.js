/* 创文通 ticket list: Keep the export link on the same filters as the table, and count the selected rows for bulk dispatch. */
(function () {
  var form = document.querySelector(".ticket-filters");
  var exportLink = document.getElementById("export-link");
  function syncExport() {
    var params = new URLSearchParams(new FormData(form));
    params.delete("page_size");
    exportLink.href = exportLink.href.split("?")[0] + "?" + params.toString();
  }
  form.addEventListener("change", syncExport);
  form.addEventListener("keyup", syncExport);
  var counter = document.querySelector(".bulk-count");
  function syncCount() {
    if (!counter) return;
    var n = document.querySelectorAll("input[name=tickets]:checked").length;
    counter.textContent = n ? counter.dataset.label + ": " + n : "";
  }
  document.addEventListener("change", function (event) {
    if (event.target.classList.contains("check-all")) {
      document.querySelectorAll("input[name=tickets]").forEach(function (box) { box.checked = event.target.checked; });
    }
    syncCount();
  });
  document.body.addEventListener("htmx:afterSwap", syncCount);
})();
