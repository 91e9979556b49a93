/* Browse filters, in place and shareable through the address. Inlined right after the list
   (browse.html.j2), so a filter from the address applies before the first paint: nothing moves.
   The matching items are shown a page at a time ("Show more" adds a page); without JavaScript
   the whole list shows. */
(function () {
  "use strict";

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  /* Browse: national reviews and briefings apply in every region, so a region filter keeps them
     unless "include national reviews and briefings" is unticked. Each option has a one-character
     code (data-f) and each item lists its values' codes in data-f, with the list's data-everywhere
     code first if it applies in every region. */
  function browse(form) {
    var items = Array.prototype.slice.call(document.querySelectorAll("#sg-results > li"));
    var status = document.getElementById("sg-status");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var everywhereBox = document.getElementById("sg-everywhere-box");
    var everywhere = document.getElementById("sg-everywhere");
    var more = document.getElementById("sg-browse-more");
    var page = parseInt(document.getElementById("sg-results").getAttribute("data-page"), 10) || 50;
    var limit = page;
    var briefingOption = form.querySelector('select[name="type"] option[value="briefing"]');
    var briefingCode = briefingOption ? briefingOption.getAttribute("data-f") : null;
    var everywhereCode = document.getElementById("sg-results").getAttribute("data-everywhere");
    function has(item, code) { return item.getAttribute("data-f").indexOf(code) >= 0; }
    var params = new URLSearchParams(window.location.search);
    /* the search page's names (?theme=, ?region=) work here too: a trainer's link finds its list */
    selects.forEach(function (select) {
      var value = params.get(select.name) || params.get(select.name.replace(/s$/, ""));
      if (value) { select.value = value; }
    });
    everywhere.checked = params.get("everywhere") !== "no";

    function matches(item, select) {
      if (has(item, select.code)) { return true; }
      return select.name === "regions" && everywhere.checked && has(item, everywhereCode);
    }

    var drawn = false;  /* until a filter or "Show more" is used, the style sheet's first page stands */

    function apply() {
      var wanted = selects.filter(function (s) { return s.value; }).map(function (s) {
        return { name: s.name, value: s.value, code: s.options[s.selectedIndex].getAttribute("data-f") };
      });
      var region = wanted.some(function (s) { return s.name === "regions"; });
      /* the choice means nothing when only local reviews are asked for */
      everywhereBox.hidden = !region || wanted.some(function (s) { return s.name === "type" && s.value === "local"; });
      var reviews = 0, briefings = 0, shown = 0;
      var redraw = drawn || wanted.length > 0 || limit > page;  /* at first, writing 5,000 items only cost time */
      items.forEach(function (item) {
        var match = wanted.every(function (s) { return matches(item, s); });
        var hide = !(match && shown < limit);
        if (redraw && item.hidden !== hide) { item.hidden = hide; }
        if (!hide) { shown += 1; }
        if (match && briefingCode && has(item, briefingCode)) { briefings += 1; } else if (match) { reviews += 1; }
      });
      if (redraw) { document.documentElement.classList.remove("sg-paged"); drawn = true; }
      var left = reviews + briefings - shown;
      more.hidden = left <= 0;
      more.textContent = "Show " + Math.min(page, left) + " more (" + shown + " of " + (reviews + briefings) + " shown)";
      status.textContent = plural(reviews, "review", "reviews") + " and " + plural(briefings, "briefing", "briefings") +
        (wanted.length ? " match the filters" : "") + (wanted.length && !(reviews + briefings) ?
        ": choose \u201cAny\u201d in a filter to see more" : "");
      var query = new URLSearchParams();
      wanted.forEach(function (s) { query.set(s.name, s.value); });
      if (region && !everywhere.checked) { query.set("everywhere", "no"); }
      var search = query.toString();
      window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
    }

    more.addEventListener("click", function () {
      var first = limit;  /* the first item of the new page takes the focus, so the keyboard reads on */
      limit += page;
      apply();
      var visible = items.filter(function (item) { return !item.hidden; });
      if (visible[first]) { visible[first].querySelector("a").focus(); }
    });
    form.addEventListener("change", function () { limit = page; apply(); });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { everywhere.checked = true; limit = page; apply(); }, 0);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    apply();
  }

  var ready = false;
  try {
    browse(document.getElementById("sg-filters"));
    ready = true;
  } finally {
    document.documentElement.classList.remove("sg-filtering");
    if (!ready) { document.documentElement.classList.remove("sg-paged"); }  /* the script failed: every item */
  }
})();
