/* Browse filters (in place, shareable through the address) and the Pagefind search page. */
(function () {
  "use strict";

  function browse(form) {
    var items = Array.prototype.slice.call(document.querySelectorAll("#sg-results > li"));
    var status = document.getElementById("sg-status");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) { if (params.get(select.name)) { select.value = params.get(select.name); } });

    function apply() {
      var wanted = selects.filter(function (s) { return s.value; });
      var shown = 0;
      items.forEach(function (item) {
        var match = wanted.every(function (s) {
          return (" " + item.getAttribute("data-" + s.name) + " ").indexOf(" " + s.value + " ") >= 0;
        });
        item.hidden = !match;
        shown += match ? 1 : 0;
      });
      status.textContent = shown + (shown === 1 ? " review" : " reviews") +
        (wanted.length ? (shown === 1 ? " matches the filters" : " match the filters") : "");
      var query = new URLSearchParams();
      wanted.forEach(function (s) { query.set(s.name, s.value); });
      var search = query.toString();
      window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
    }

    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    apply();
  }

  function search(element) {
    if (typeof PagefindUI === "undefined") { return; }
    var ui = new PagefindUI({
      element: "#" + element.id, bundlePath: element.getAttribute("data-bundle"),
      showImages: false, showSubResults: false, resetStyles: true, pageSize: 6,
      translations: { placeholder: "Search reviews and briefings" }
    });
    var input = element.querySelector("input");
    if (input) { input.setAttribute("aria-label", "Search reviews and briefings"); }
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) { ui.triggerSearch(query); }
  }

  function start() {
    var form = document.getElementById("sg-filters");
    if (form) { browse(form); }
    var element = document.getElementById("sg-search");
    if (element) { search(element); }
    var box = document.getElementById("sg-header-q");
    var query = new URLSearchParams(window.location.search).get("q");
    if (box && query) { box.value = query; }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
