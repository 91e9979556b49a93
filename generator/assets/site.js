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

  /* Search: our own small interface on pagefind.js (Pagefind's Default UI and its five filter
     indexes would cost a phone over 100 KB more before the first result). Filters load when
     their panel is opened; the address keeps the query and filters, so a search can be shared. */
  function search(form) {
    var bundle = form.getAttribute("data-bundle");
    var names = form.getAttribute("data-filters").split(" ");
    var input = document.getElementById("sg-q");
    var status = document.getElementById("sg-search-status");
    var list = document.getElementById("sg-search-results");
    var more = document.getElementById("sg-more");
    var facets = document.getElementById("sg-facets");
    var groups = document.getElementById("sg-facet-groups");
    var params = new URLSearchParams(window.location.search);
    var chosen = {};
    names.forEach(function (name) { chosen[name] = params.getAll(name); });
    input.value = params.get("q") || "";
    var pagefind = null, results = [], shown = 0, filtersLoaded = false, run = 0;

    function engine() {
      if (!pagefind) {
        var base = new URL(bundle + "../", window.location.href).pathname;
        /* import() resolves against this script's address, so give it the page-relative one */
        pagefind = import(new URL(bundle + "pagefind.js", window.location.href).href).then(function (module) {
          return module.options({ baseUrl: base, excerptLength: 24 }).then(function () { return module; });
        });
      }
      return pagefind;
    }

    function activeFilters() {
      var filters = {};
      names.forEach(function (name) { if (chosen[name].length) { filters[name] = { any: chosen[name] }; } });
      return filters;
    }

    function remember() {
      var query = new URLSearchParams();
      if (input.value.trim()) { query.set("q", input.value.trim()); }
      names.forEach(function (name) { chosen[name].forEach(function (v) { query.append(name, v); }); });
      var text = query.toString();
      window.history.replaceState(null, "", text ? "?" + text : window.location.pathname);
    }

    function element(tag, className, text) {
      var node = document.createElement(tag);
      if (className) { node.className = className; }
      if (text) { node.textContent = text; }
      return node;
    }

    function showPage() {
      var ticket = run;
      var batch = results.slice(shown, shown + 6);
      shown += batch.length;
      more.hidden = shown >= results.length;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
        if (ticket !== run) { return; }  /* a newer search has started: drop these */
        pages.forEach(function (data) {
          var item = element("li", "sg-item sg-result");
          var link = element("a", "sg-result__link", data.meta.title);
          link.href = data.url;
          item.appendChild(link);
          item.appendChild(element("span", "sg-item__meta",
            [data.meta.kind, data.meta.published].filter(Boolean).join(" · ")));
          var excerpt = element("span", "sg-item__summary");
          excerpt.innerHTML = data.excerpt;  /* Pagefind escapes the text; it adds only <mark> */
          item.appendChild(excerpt);
          list.appendChild(item);
        });
      });
    }

    function renderFacets(counts) {
      groups.textContent = "";
      names.forEach(function (name) {
        var values = Object.keys(counts[name] || {}).filter(function (value) {
          return counts[name][value] > 0 || chosen[name].indexOf(value) >= 0;
        }).sort();
        if (!values.length) { return; }
        var set = element("fieldset", "sg-facet");
        set.appendChild(element("legend", "", name.charAt(0).toUpperCase() + name.slice(1)));
        values.forEach(function (value, index) {
          var id = "sg-f-" + name + "-" + index;
          var box = element("input");
          box.type = "checkbox"; box.id = id; box.name = name; box.value = value;
          box.checked = chosen[name].indexOf(value) >= 0;
          var label = element("label", "", value + " (" + counts[name][value] + ")");
          label.htmlFor = id;
          var row = element("div", "sg-facet__option");
          row.appendChild(box); row.appendChild(label);
          set.appendChild(row);
        });
        groups.appendChild(set);
      });
    }

    function perform() {
      var ticket = ++run;
      var term = input.value.trim();
      var filters = activeFilters();
      remember();
      if (!term && !Object.keys(filters).length) {
        list.textContent = ""; more.hidden = true;
        status.textContent = "Type a word to search reviews and briefings.";
        return Promise.resolve();
      }
      status.textContent = "Searching…";
      return engine().then(function (module) {
        return module.search(term || null, { filters: filters });
      }).then(function (found) {
        if (ticket !== run) { return; }
        results = found.results; shown = 0; list.textContent = "";
        status.textContent = results.length + (results.length === 1 ? " result" : " results") +
          (term ? " for \u201c" + term + "\u201d" : "") +
          (Object.keys(filters).length ? " with the chosen filters" : "");
        if (filtersLoaded) { renderFacets(found.filters); }
        return showPage();
      });
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); perform(); });
    more.addEventListener("click", function () { showPage(); });
    groups.addEventListener("change", function (event) {
      var box = event.target;
      if (box.type !== "checkbox") { return; }
      chosen[box.name] = Array.prototype.slice.call(groups.querySelectorAll('input[name="' + box.name + '"]:checked'))
        .map(function (b) { return b.value; });
      perform();
    });
    facets.addEventListener("toggle", function () {
      if (!facets.open || filtersLoaded) { return; }
      engine().then(function (module) { return module.filters(); }).then(function (all) {
        filtersLoaded = true;
        renderFacets(all);
        if (input.value.trim() || Object.keys(activeFilters()).length) { perform(); }
      });
    });
    if (names.some(function (n) { return chosen[n].length; })) { facets.open = true; }
    perform();
  }

  function start() {
    var form = document.getElementById("sg-filters");
    if (form) { browse(form); }
    var searchForm = document.getElementById("sg-search");
    if (searchForm) { search(searchForm); }
    var box = document.getElementById("sg-header-q");
    var query = new URLSearchParams(window.location.search).get("q");
    if (box && query) { box.value = query; }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
