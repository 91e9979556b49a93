/* The Pagefind search page and the header's search box. (Browse filters run inline in the
   browse page, templates/_browse.js, so a filtered list is drawn before the first paint.) */
(function () {
  "use strict";

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  /* Search: our own small interface on pagefind.js (Pagefind's Default UI and its five filter
     indexes would cost a phone over 100 KB more before the first result). Filters load when
     their panel is opened; the address keeps the query and filters, so a search can be shared. */
  function search(form) {
    var bundle = form.getAttribute("data-bundle");
    var names = form.getAttribute("data-filters").split(" ");
    var input = document.getElementById("sg-q");
    var status = document.getElementById("sg-search-status");
    var pageTitle = document.title;
    var list = document.getElementById("sg-search-results");
    var more = document.getElementById("sg-more");
    var facets = document.getElementById("sg-facets");
    var groups = document.getElementById("sg-facet-groups");
    var help = document.getElementById("sg-no-results");
    var everywhereLabels = form.getAttribute("data-everywhere").split("|");
    var params = new URLSearchParams(window.location.search);
    var chosen = {};
    var ids = JSON.parse(form.getAttribute("data-ids") || "{}");  /* ?region=london: the label it is filed under */
    names.forEach(function (name) {
      chosen[name] = params.getAll(name).concat(params.getAll(name + "s")).map(function (value) {  /* browse's names too */
        return ids[name] && Object.prototype.hasOwnProperty.call(ids[name], value) ? ids[name][value] : value;
      });
    });
    var everywhere = params.get("everywhere") !== "no";
    var abbreviations = JSON.parse(form.getAttribute("data-abbreviations") || "{}");
    input.value = params.get("q") || "";
    var pagefind = null, vocabulary = null, results = [], shown = 0, filtersLoaded = false, run = 0;

    function engine() {
      if (!pagefind) {
        var base = new URL(bundle + "../", window.location.href).pathname;
        function options() { return { baseUrl: base, excerptLength: 24, ranking: { termSimilarity: 4 } }; }
        /* a large site's index comes in parts (built one at a time to bound the build's memory);
           pagefind.js searches them as one, summing the filter counts */
        var parts = (form.getAttribute("data-merge") || "").split(" ").filter(Boolean);
        /* import() resolves against this script's address, so give it the page-relative one */
        pagefind = import(new URL(bundle + "pagefind.js", window.location.href).href).then(function (module) {
          return module.options(options()).then(function () {
            return Promise.all(parts.map(function (part) {
              return module.mergeIndex(new URL(part, window.location.href).pathname, options());
            }));
          }).then(function () { return module; });
        });
      }
      return pagefind;
    }

    /* National reviews and briefings carry every region (they apply everywhere): a region filter
       keeps them unless the reader unticks them. */
    function activeFilters() {
      var filters = {};
      names.forEach(function (name) { if (chosen[name].length) { filters[name] = { any: chosen[name] }; } });
      if (filters.region && !everywhere) {
        if (filters.type) {
          var local = filters.type.any.filter(function (t) { return everywhereLabels.indexOf(t) < 0; });
          filters.type = { any: local.length ? local : ["(none)"] };
        } else {
          filters.type = { none: everywhereLabels };
        }
      }
      return filters;
    }

    function remember() {
      var query = new URLSearchParams();
      if (input.value.trim()) { query.set("q", input.value.trim()); }
      names.forEach(function (name) { chosen[name].forEach(function (v) { query.append(name, v); }); });
      if (chosen.region.length && !everywhere) { query.set("everywhere", "no"); }
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
      var ticket = run, first = shown === 0;
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
          excerpt.innerHTML = excerptOf(data);
          item.appendChild(excerpt);
          list.appendChild(item);
        });
        if (first && input.value.trim()) { return offerSpelling(input.value.trim(), pages, ticket); }
      });
    }

    /* The excerpt, from the page's own words: a search document ends with "Also found by: ...",
       the words it is found by besides its own (weighted, so Pagefind would often quote them).
       With no match before that line, the summary stands in. Pagefind's locations count the
       content's words split on white space. */
    function escapeText(text) {
      return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    }

    function excerptOf(data) {
      var words = data.content.split(/[\r\n\s]+/g), end = -1;
      for (var i = words.length - 3; i >= 0 && end < 0; i--) {
        if (words[i] === "Also" && words[i + 1] === "found" && words[i + 2] === "by:") { end = i; }
      }
      if (end < 0) { return data.excerpt; }  /* Pagefind escapes the text; it adds only <mark> */
      var at = (data.locations || []).filter(function (n) { return n < end; });
      if (!at.length) { return escapeText(data.meta.summary || ""); }
      var start = Math.max(0, Math.min(at[0] - 6, end - 24)), marked = {};
      at.forEach(function (n) { marked[n] = true; });
      var out = [];
      for (var n = start; n < Math.min(end, start + 24); n++) {
        out.push(marked[n] ? "<mark>" + escapeText(words[n]) + "</mark>" : escapeText(words[n]));
      }
      return (start > 0 ? "\u2026 " : "") + out.join(" ") + (start + 24 < end ? " \u2026" : "");
    }

    /* Zero results: a spelling suggestion that finds something, the themes whose names come close,
       and the way to browse. The word list (titles, summaries, theme names; most used first) is
       fetched only now. */
    function distance(a, b) {
      if (Math.abs(a.length - b.length) > 2) { return 3; }
      var d = [], i, j;
      for (i = 0; i <= a.length; i++) { d[i] = [i]; }
      for (j = 0; j <= b.length; j++) { d[0][j] = j; }
      for (i = 1; i <= a.length; i++) {
        for (j = 1; j <= b.length; j++) {
          var cost = a[i - 1] === b[j - 1] ? 0 : 1;
          d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) { d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1); }
        }
      }
      return d[a.length][b.length];
    }

    function wordsOf(text) { return text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean); }

    function correct(term, words) {
      var known = {}, changed = false;
      words.forEach(function (w) { known[w] = true; });
      var fixed = wordsOf(term).map(function (word) {
        if (word.length < 4 || known[word] || /[0-9]/.test(word)) { return word; }
        var best = null, bestDistance = 3;
        for (var i = 0; i < words.length && bestDistance > 1; i++) {
          var d = distance(word, words[i]);
          if (d < bestDistance) { best = words[i]; bestDistance = d; }
        }
        changed = changed || best !== null;
        return best || word;
      });
      return changed ? fixed.join(" ") : "";
    }

    function closeThemes(term, themes) {
      var typed = wordsOf(term).filter(function (w) { return w.length >= 3; });
      return themes.filter(function (theme) {
        var names = [theme[0]].concat(theme[2]);
        return names.some(function (name) {
          if (distance(term.toLowerCase(), name.toLowerCase()) <= 2) { return true; }
          return wordsOf(name).some(function (n) {
            return typed.some(function (w) {
              return (w.length >= 4 && (n.indexOf(w) === 0 || w.indexOf(n) === 0) && n.length >= 4) ||
                (w.length >= 5 && distance(w, n) <= 2);
            });
          });
        });
      }).slice(0, 6);
    }

    function vocabularyList() {
      if (!vocabulary) {
        vocabulary = fetch(new URL(form.getAttribute("data-vocabulary"), window.location.href).href)
          .then(function (response) { return response.json(); });
      }
      return vocabulary;
    }

    function suggestion(term) {
      return vocabularyList().then(function (list) {
        var better = correct(term, list.words);
        if (!better) { return ["", 0, list.themes]; }
        return engine().then(function (module) { return module.search(better, { filters: activeFilters() }); })
          .then(function (found) { return [better, found.results.length, list.themes]; });
      }, function () { return ["", 0, []]; });
    }

    /* The status line is the live region: a suggestion drawn below the results is read out with it. */
    function announce(line) {
      status.textContent += " " + line.textContent;
      document.title = status.textContent + " - " + pageTitle;
    }

    function suggestionLine(better, count) {
      var mean = element("p", "sg-no-results__suggestion", "Did you mean ");
      var again = element("a", "", better);
      again.href = "?q=" + encodeURIComponent(better);
      mean.appendChild(again);
      mean.appendChild(document.createTextNode("? (" + plural(count, "result", "results") + ")"));
      return mean;
    }

    /* Results for a word no result contains (Pagefind matched something else): offer the spelling. */
    function offerSpelling(term, pages, ticket) {
      var text = pages.map(function (data) { return data.content.toLowerCase(); }).join(" ");
      var unseen = wordsOf(term).some(function (word) { return word.length >= 4 && text.indexOf(word) < 0; });
      if (!unseen) { return Promise.resolve(); }
      return suggestion(term).then(function (found) {
        if (ticket !== run || !found[1]) { return; }
        help.textContent = "";
        announce(help.appendChild(suggestionLine(found[0], found[1])));
        help.hidden = false;
      });
    }

    function showHelp(term, ticket) {
      var base = form.getAttribute("data-base");
      return suggestion(term).then(function (found) {
        if (ticket !== run) { return; }
        var themes = closeThemes(term, found[2]);
        help.textContent = "";
        if (found[1]) { announce(help.appendChild(suggestionLine(found[0], found[1]))); }
        if (themes.length) {
          help.appendChild(element("p", "", "Pages with a name like \u201c" + term + "\u201d:"));
          var themeList = element("ul", "sg-no-results__themes");
          themes.forEach(function (theme) {  /* [name, address, other names, kind]: a theme, region or harm category */
            var link = element("a", "", theme[0]);
            link.href = base + theme[1];
            var row = element("li");
            row.appendChild(link);
            if (theme[3] && theme[3] !== "theme") { row.appendChild(document.createTextNode(" (" + theme[3] + ")")); }
            themeList.appendChild(row);
          });
          help.appendChild(themeList);
        }
        var alone = !help.childNodes.length;
        var browseLine = element("p", "", alone ? "" : "Or ");
        var browseLink = element("a", "", (alone ? "Browse" : "browse") + " every review and briefing");
        browseLink.href = base + "browse/";
        browseLine.appendChild(browseLink);
        browseLine.appendChild(document.createTextNode(" by theme, region, harm, type and year."));
        help.appendChild(browseLine);
        help.hidden = false;
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
        if (name === "region" && chosen.region.length) {
          var keep = element("input");
          keep.type = "checkbox"; keep.id = "sg-everywhere"; keep.name = "everywhere"; keep.checked = everywhere;
          var keepLabel = element("label", "", "Include national reviews and briefings (they apply in every region)");
          keepLabel.htmlFor = "sg-everywhere";
          var keepRow = element("div", "sg-facet__option sg-facet__everywhere");
          keepRow.appendChild(keep); keepRow.appendChild(keepLabel);
          set.appendChild(keepRow);
        }
        groups.appendChild(set);
      });
    }

    /* A word of the field's abbreviations (abbreviations.yml) also asks for its long form: Pagefind
       matches the start of words, so 'DA' alone ranks 'daily' first. Short ones in any case (a
       phone types 'da'); longer ones only in capitals ('SEND', not 'send'). */
    function expanded(term) {
      return term.split(/\s+/).map(function (word) {
        var key = word.toUpperCase();
        var known = Object.prototype.hasOwnProperty.call(abbreviations, key);
        return known && (word.length <= 3 || word === key) ? key + " " + abbreviations[key] : word;
      }).join(" ");
    }

    function perform() {
      var ticket = ++run;
      var term = input.value.trim();
      var filters = activeFilters();
      remember();
      help.hidden = true;
      if (!term && !Object.keys(filters).length) {
        list.textContent = ""; more.hidden = true;
        status.textContent = "Type a word to search reviews and briefings.";
        return Promise.resolve();
      }
      status.textContent = "Searching…";
      return engine().then(function (module) {
        return module.search(term ? expanded(term) : null, { filters: filters });
      }).then(function (found) {
        if (ticket !== run) { return; }
        results = found.results; shown = 0; list.textContent = "";
        status.textContent = results.length + (results.length === 1 ? " result" : " results") +
          (term ? " for \u201c" + term + "\u201d" : "") +
          (term && expanded(term) !== term ? " (also \u201c" + expanded(term) + "\u201d)" : "") +
          (Object.keys(filters).length ? " with the chosen filters" : "");
        document.title = status.textContent + " - " + pageTitle;  /* the tab and history say what was found */
        if (filtersLoaded) { renderFacets(found.filters); }
        var drawn = !results.length && term ? showHelp(term, ticket) : showPage();
        return drawn.then(function () { list.classList.remove("sg-results--awaiting"); });
      });
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); perform(); });
    more.addEventListener("click", function () {  /* the keyboard reads on from the first new result */
      var from = shown;
      showPage().then(function () {
        var links = list.querySelectorAll("a.sg-result__link");
        if (links[from]) { links[from].focus(); }
      });
    });
    /* The filters are drawn again with the new counts: the keyboard stays on the box just ticked. */
    function refocus(name, value) {
      var boxes = groups.querySelectorAll("input");
      for (var i = 0; i < boxes.length; i++) {
        if (boxes[i].name === name && boxes[i].value === value) { boxes[i].focus(); return; }
      }
    }
    groups.addEventListener("change", function (event) {
      var box = event.target, name = box.name, value = box.value;
      if (box.type !== "checkbox") { return; }
      if (name === "everywhere") {
        everywhere = box.checked;
      } else {
        chosen[name] = Array.prototype.slice.call(groups.querySelectorAll('input[name="' + name + '"]:checked'))
          .map(function (b) { return b.value; });
      }
      perform().then(function () { refocus(name, value); });
    });
    facets.addEventListener("toggle", function () {
      if (!facets.open || filtersLoaded) { return; }
      engine().then(function (module) { return module.filters(); }).then(function (all) {
        filtersLoaded = true;
        /* with a query or a filter, only its own counts are shown (the whole index's would show
           first, then change under the reader's finger) */
        if (input.value.trim() || Object.keys(activeFilters()).length) { perform(); } else { renderFacets(all); }
      });
    });
    if (names.some(function (n) { return chosen[n].length; })) { facets.open = true; }
    perform();
  }

  /* The phone's menu (Material's drawer, a checkbox; the header's menu button is its label): a
     button a keyboard opens too, that says whether the menu is open; while it is open, the page
     under it takes no focus (inert) and focus starts in the menu; a window made wide enough to
     show the menu beside the page closes it. */
  var UNDER_THE_MENU = ".md-tabs, .md-content, .md-sidebar--secondary, .md-footer, .md-top, " +
    ".md-header__inner > :not(label[for='__drawer'])";

  function menuByKeyboard() {
    var button = document.querySelector('label.md-header__button[for="__drawer"]');
    var drawer = document.getElementById("__drawer");
    if (!button || !drawer) { return; }
    var wide = window.matchMedia("(min-width: 76.25em)");
    var menu = document.querySelector(".md-sidebar--primary");
    if (menu) {
      menu.id = menu.id || "sg-menu";
      button.setAttribute("aria-controls", menu.id);
    }
    function shown() {
      var open = drawer.checked && !wide.matches;
      button.setAttribute("aria-expanded", String(open));
      document.querySelectorAll(UNDER_THE_MENU).forEach(function (node) {
        if (open) { node.setAttribute("inert", ""); } else { node.removeAttribute("inert"); }
      });
      return open;
    }
    shown();
    drawer.addEventListener("change", function () {
      var first = menu && menu.querySelector("a[href]");
      if (shown() && first) { first.focus(); }
    });
    wide.addEventListener("change", function () { if (wide.matches && drawer.checked) { drawer.click(); } shown(); });
    button.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        event.stopPropagation();  /* Material's own handler would click it a second time on Enter */
        drawer.click();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.checked) { drawer.click(); button.focus(); }
    });
  }

  function start() {
    menuByKeyboard();
    var searchForm = document.getElementById("sg-search");
    if (searchForm) { search(searchForm); }
    var box = document.getElementById("sg-header-q");
    var query = new URLSearchParams(window.location.search).get("q");
    if (box && query) { box.value = query; }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
