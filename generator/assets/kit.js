/* The trainer's session kit: "Copy link", "Cite this" and "Add to session pack" on review and
   briefing pages, and the session pack page (/pack/?items=ID,ID,...). A pack lives in its address
   (and, to carry it from page to page, in this browser's localStorage): no account, no server.
   The pack page reads each item's entry from the item's own page (its JSON, made at build time)
   and writes every value as text, never as markup. */
(function () {
  "use strict";

  var STORE = "sg-session-pack";
  var TIMINGS = "sg-session-pack-minutes";  /* the minutes a trainer gave items, by id */
  var MAX_ITEMS = 40;
  var MAX_MINUTES = 240;
  var ID = /^[a-z0-9][a-z0-9-]{0,199}$/;

  var unstored = null;  /* the pack, when this browser will not store it (then it lasts this page only) */

  function storedPack() {
    if (unstored) { return unstored.slice(); }
    try {
      var ids = JSON.parse(window.localStorage.getItem(STORE) || "[]");
      return Array.isArray(ids) ? clean(ids) : [];
    } catch (e) { return []; }
  }

  /* Keep the pack for the next page; false when the browser refuses (then only its link holds it). */
  function store(ids) {
    try {
      window.localStorage.setItem(STORE, JSON.stringify(ids));
      unstored = null;
      return true;
    } catch (e) {
      unstored = ids.slice();
      return false;
    }
  }

  /* {id: minutes} from "id:15,id:20" (an address) or an object (this browser's store): only known
     shapes of id and whole minutes from 1 to MAX_MINUTES are kept. */
  function timingsFrom(pairs) {
    var timings = Object.create(null);
    pairs.forEach(function (pair) {
      var id = pair[0], value = Number(pair[1]);
      if (typeof id === "string" && ID.test(id) && /^[0-9]{1,3}$/.test(String(pair[1])) && value >= 1 &&
          value <= MAX_MINUTES) { timings[id] = value; }
    });
    return timings;
  }

  function storedTimings() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(TIMINGS) || "{}");
      return stored && typeof stored === "object" && !Array.isArray(stored) ?
        timingsFrom(Object.keys(stored).map(function (id) { return [id, stored[id]]; })) : timingsFrom([]);
    } catch (e) { return timingsFrom([]); }
  }

  function clean(ids) {
    var seen = {};
    return ids.filter(function (id) {
      if (typeof id !== "string" || !ID.test(id) || seen[id]) { return false; }
      seen[id] = true;
      return true;
    }).slice(0, MAX_ITEMS);
  }

  function pageAddress() { return window.location.href.split(/[?#]/)[0]; }

  function absolute(address) { return /^https?:\/\//.test(address) ? address : pageAddress(); }

  function today() {
    return new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return fallbackCopy(text); });
    }
    return Promise.resolve(fallbackCopy(text));
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    return done;
  }

  function packAddress(base, ids) { return base + "pack/" + (ids.length ? "?items=" + ids.join(",") : ""); }

  function items(n) { return n + (n === 1 ? " item" : " items"); }

  function unitOf(n) { return n === 1 ? " minute" : " minutes"; }

  function minutes(n) { return n + unitOf(n); }

  /* A review's or briefing's page. */
  function kit(panel) {
    var id = panel.getAttribute("data-id");
    var address = absolute(panel.getAttribute("data-permalink"));
    var status = panel.querySelector(".sg-kit__status");
    var packButton = panel.querySelector("[data-sg-pack]");
    var open = panel.querySelector("[data-sg-pack-open]");
    var base = open.getAttribute("href").replace(/pack\/$/, "");
    var say = function (text) { status.textContent = text; };

    panel.querySelectorAll("[data-sg-today]").forEach(function (span) { span.textContent = today(); });
    panel.querySelectorAll("[data-sg-address]").forEach(function (span) { span.textContent = address; });
    /* a site built without its address prints bare paths: the page's own address is better on paper */
    document.querySelectorAll("a.sg-permalink").forEach(function (link) {
      if (!/^https?:\/\//.test(link.textContent)) { link.textContent = address; }
    });

    function draw() {
      var ids = storedPack();
      var inPack = ids.indexOf(id) >= 0;
      packButton.textContent = inPack ? "Remove from session pack" : "Add to session pack";
      open.textContent = ids.length ? "Open session pack (" + items(ids.length) + ")" : "Session pack";
      open.setAttribute("href", packAddress(base, ids));
    }

    panel.querySelector('[data-sg-copy="link"]').addEventListener("click", function () {
      copy(address).then(function (done) {
        say(done ? "Link copied: " + address : "Copy this link: " + address);
      });
    });
    panel.querySelector('[data-sg-copy="citation"]').addEventListener("click", function () {
      var text = panel.querySelector(".sg-cite__text").textContent.replace(/\s+/g, " ").trim();
      copy(text).then(function (done) { say(done ? "Citation copied." : "Select the citation above and copy it."); });
    });
    packButton.addEventListener("click", function () {
      var ids = storedPack();
      var at = ids.indexOf(id);
      if (at >= 0) { ids.splice(at, 1); } else if (ids.length < MAX_ITEMS) { ids.push(id); } else {
        say("A pack holds at most " + MAX_ITEMS + " items."); return;
      }
      var kept = store(ids);
      draw();
      say((at >= 0 ? "Removed from your session pack (" : "Added to your session pack (") + items(ids.length) + ")." +
        (kept ? "" : " This browser will not keep it on other pages: open the session pack now to keep its link."));
    });
    window.addEventListener("storage", draw);  /* another tab changed the pack */
    draw();
  }

  /* The pack page. */
  function pack(root) {
    var base = root.getAttribute("data-base");
    var briefings = {};
    root.getAttribute("data-briefings").split(" ").forEach(function (id) { if (id) { briefings[id] = true; } });
    var status = root.querySelector(".sg-pack__status");
    var contents = root.querySelector("[data-sg-pack-contents]");
    var printed = root.querySelector("[data-sg-pack-printed]");
    var param = new URLSearchParams(window.location.search).get("items");
    var asked = param === null ? storedPack() : param.split(",");
    var ids = clean(asked);
    var timingParam = new URLSearchParams(window.location.search).get("minutes");
    var timings = param === null ? storedTimings() : timingsFrom((timingParam || "").split(",").map(function (pair) {
      return pair.split(":");
    }));
    var entries = {};
    var totalLine = null;
    var shared = param !== null;  /* a pack from its address is not this browser's own until it is changed */

    function el(tag, text, className) {
      var node = document.createElement(tag);
      if (text !== undefined && text !== null) { node.textContent = text; }
      if (className) { node.className = className; }
      return node;
    }

    /* The pack's query: its items in order, then the minutes the trainer gave any of them. */
    function query() {
      if (!ids.length) { return ""; }
      var given = ids.filter(function (id) { return timings[id]; }).map(function (id) { return id + ":" + timings[id]; });
      return "?items=" + ids.join(",") + (given.length ? "&minutes=" + given.join(",") : "");
    }

    function save(changed) {
      if (changed || !shared) {
        store(ids);
        var kept = {};
        ids.forEach(function (id) { if (timings[id]) { kept[id] = timings[id]; } });
        try { window.localStorage.setItem(TIMINGS, JSON.stringify(kept)); } catch (e) { /* the address holds them */ }
        shared = false;
      }
      window.history.replaceState(null, "", ids.length ? query() : window.location.pathname);
    }

    function minutesOf(id) { return timings[id] || entries[id].minutes || 0; }

    function total() { return ids.reduce(function (sum, id) { return sum + minutesOf(id); }, 0); }

    function pageOf(id) { return base + (briefings[id] ? "briefings/" : "reviews/") + id + "/"; }

    function load(id, url, hops) {
      return fetch(url).then(function (response) {
        if (!response.ok) { return { id: id, missing: true, url: url }; }
        return response.text().then(function (text) {
          var doc = new DOMParser().parseFromString(text, "text/html");
          var data = doc.querySelector("script.sg-pack-entry");
          if (data) {
            var entry = JSON.parse(data.textContent);
            entry.url = url;
            var qr = doc.querySelector("figure.sg-qr > svg.sg-qr__code");
            entry.qr = qr ? document.importNode(qr, true) : null;
            return entry;
          }
          var refresh = doc.querySelector('meta[http-equiv="refresh"]');  /* a former id's page */
          var target = refresh && /url=(.*)$/i.exec(refresh.getAttribute("content") || "");
          var next = target && new URL(target[1], response.url);
          if (next && next.origin === window.location.origin && hops < 2) { return load(id, next.href, hops + 1); }
          var heading = doc.querySelector("h1");
          return { id: id, gone: true, url: url, title: heading ? heading.textContent : id };
        });
      }).catch(function () { return { id: id, missing: true, url: url }; });
    }

    function move(index, by) {
      var to = index + by;
      if (to < 0 || to >= ids.length) { return; }
      ids.splice(to, 0, ids.splice(index, 1)[0]);
      save(true);
      draw("Moved " + (entries[ids[to]].title || ids[to]) + " to place " + (to + 1) + ".",
        { row: to, button: '[data-move="' + (by < 0 ? "up" : "down") + '"]' });
    }

    function remove(index) {
      var gone = ids.splice(index, 1)[0];
      save(true);
      draw("Removed " + (entries[gone].title || gone) + ". The pack has " + items(ids.length) + ".",
        { row: Math.min(index, ids.length - 1), button: "[data-remove]" });
    }

    function agendaItem(entry, index) {
      var li = el("li", null, "sg-pack__agenda-item");
      var link = el("a", entry.title || entry.id);
      link.href = entry.url;
      li.appendChild(link);
      var meta = el("span", entry.missing ? " · not found" : entry.gone ? " · no longer available" :
        " · " + entry.type + " · ", "sg-pack__agenda-meta");
      li.appendChild(meta);
      if (!entry.missing && !entry.gone) { meta.appendChild(minutesField(entry)); }
      var controls = el("span", null, "sg-pack__item-controls");
      [["Move up", -1], ["Move down", 1]].forEach(function (pair) {
        var button = el("button", pair[0], "md-button");
        button.type = "button";
        button.setAttribute("data-move", pair[1] < 0 ? "up" : "down");
        button.setAttribute("aria-label", pair[0] + ": " + (entry.title || entry.id));
        button.disabled = index + pair[1] < 0 || index + pair[1] >= ids.length;
        button.addEventListener("click", function () { move(index, pair[1]); });
        controls.appendChild(button);
      });
      var drop = el("button", "Remove", "md-button");
      drop.type = "button";
      drop.setAttribute("data-remove", "");
      drop.setAttribute("aria-label", "Remove: " + (entry.title || entry.id));
      drop.addEventListener("click", function () { remove(index); });
      controls.appendChild(drop);
      li.appendChild(controls);
      return li;
    }

    /* The item's minutes, which the trainer may change: a briefing's own, or the time to read a
       review's page, until then. On paper, the number as text. */
    function minutesField(entry) {
      var field = el("span", null, "sg-pack__minutes");
      var input = el("input", null, "sg-pack__minutes-input");
      input.type = "number";
      input.min = "1";
      input.max = String(MAX_MINUTES);
      input.step = "1";
      input.inputMode = "numeric";
      input.value = String(minutesOf(entry.id));
      input.setAttribute("aria-label", "Minutes for " + (entry.title || entry.id) + ", 1 to " + MAX_MINUTES);
      var error = el("span", "", "sg-pack__minutes-error");
      error.id = "sg-minutes-error-" + entry.id;
      error.hidden = true;
      var unit = el("span", unitOf(minutesOf(entry.id)), "sg-pack__minutes-unit");
      var shown = el("span", minutes(minutesOf(entry.id)), "sg-pack__minutes-printed");
      input.addEventListener("change", function () {
        var value = Number(input.value);
        if (!/^[0-9]{1,3}$/.test(input.value) || value < 1 || value > MAX_MINUTES) {  /* kept, marked, said */
          error.textContent = " Give a whole number of minutes from 1 to " + MAX_MINUTES + "; the pack keeps " +
            minutes(minutesOf(entry.id)) + " until then.";
          error.hidden = false;
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby", error.id);
          status.textContent = (entry.title || entry.id) + ": " + error.textContent.trim();
          return;
        }
        error.hidden = true;
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
        if (value === entry.minutes) { delete timings[entry.id]; } else { timings[entry.id] = value; }
        save(true);
        unit.textContent = unitOf(value);
        shown.textContent = minutes(value);
        var section = contents.querySelectorAll(".sg-pack__item")[ids.indexOf(entry.id)];
        if (section) { section.querySelector(".sg-pack__section-minutes").textContent = minutes(value); }
        totalLine.textContent = totalText();
        printed.textContent = printedText();
        status.textContent = (entry.title || entry.id) + ": " + minutes(value) + ". The pack has " + items(ids.length) +
          ", " + minutes(total()) + " in all.";
      });
      field.appendChild(input);
      field.appendChild(unit);
      field.appendChild(shown);
      field.appendChild(error);
      if (entry.kind === "review") {
        field.appendChild(el("span", " (reading its page takes " + minutes(entry.minutes) + "; the full report is longer)",
          "sg-pack__minutes-hint"));
      }
      return field;
    }

    function totalText() { return "Total: " + minutes(total()) + " for " + items(ids.length) + "."; }

    function printedText() {
      return printed.getAttribute("data-site-name") + " · session pack printed " + today() +
        (ids.length ? " · " + pageAddress() + query() : "");
    }

    function list(tag, lines, className) {
      var node = el(tag, null, className);
      lines.forEach(function (line) { node.appendChild(el("li", line)); });
      return node;
    }

    function itemSection(entry, index) {
      var section = el("section", null, "sg-pack__item");
      section.appendChild(el("h2", (index + 1) + ". " + (entry.title || entry.id)));
      if (entry.missing || entry.gone) {
        section.appendChild(el("p", entry.missing ? "This item was not found: it may have been renamed or removed."
          : "This item is no longer published in full here; its page says why."));
        return section;
      }
      var meta = el("p", [entry.type, entry.publisher, entry.published].filter(Boolean).join(" · ") + " · ", "sg-pack__meta");
      meta.appendChild(el("span", minutes(minutesOf(entry.id)), "sg-pack__section-minutes"));
      section.appendChild(meta);
      if (entry.qr) {
        var figure = el("figure", null, "sg-qr");
        figure.appendChild(entry.qr.cloneNode(true));
        figure.appendChild(el("figcaption", entry.address));
        section.appendChild(figure);
      } else {
        var address = el("p", null, "sg-pack__address");
        var link = el("a", new URL(entry.url, window.location.href).href);
        link.href = entry.url;
        address.appendChild(link);
        section.appendChild(address);
      }
      section.appendChild(el("p", entry.summary, "sg-pack__summary"));
      if (entry.report && /^https?:\/\//i.test(entry.report)) {  /* where to read the review itself */
        var report = el("p", "Full report: ", "sg-pack__report");
        var reportLink = el("a", entry.report);
        reportLink.href = entry.report;
        report.appendChild(reportLink);
        section.appendChild(report);
      }
      if (entry.key_points.length) {
        section.appendChild(el("h3", "Key points"));
        section.appendChild(list("ul", entry.key_points));
      }
      if (entry.questions.length) {
        section.appendChild(el("h3", "Questions for reflection"));
        section.appendChild(list("ol", entry.questions));
      }
      return section;
    }

    /* The pack as it stands; `focus` ({row, button}) keeps the keyboard where the reader was. */
    function draw(message, focus, undo) {
      contents.textContent = "";
      printed.textContent = printedText();
      ["[data-sg-pack-copy]", "[data-sg-pack-print]", "[data-sg-pack-clear]"].forEach(function (selector) {
        root.querySelector(selector).disabled = !ids.length;  /* nothing to print, copy or empty */
      });
      if (!ids.length) {
        contents.appendChild(el("p", "Your session pack is empty. Open a review or briefing and choose " +
          "“Add to session pack”, or browse the briefings to start.", "sg-pack__empty"));
        var browse = el("a", "Browse the briefings");
        browse.href = base + "briefings/";
        contents.appendChild(browse);
        status.textContent = message || "";
        if (undo) {  /* emptied by mistake: one press puts every item back */
          var again = el("button", "Undo", "md-button sg-pack__undo");
          again.type = "button";
          again.addEventListener("click", function () {
            ids = undo;
            save(true);
            draw("The pack has its " + items(ids.length) + " back.", { row: 0, button: "[data-move]" });
          });
          var undoLine = el("p", null, "sg-pack__undo-line");  /* beside the live region, not inside it */
          undoLine.appendChild(again);
          contents.insertBefore(undoLine, contents.firstChild);
          again.focus();
        } else if (focus) { status.setAttribute("tabindex", "-1"); status.focus(); }
        return;
      }
      contents.appendChild(el("h2", "Agenda", "sg-pack__agenda-title"));
      var agenda = el("ol", null, "sg-pack__agenda");
      ids.forEach(function (id, index) { agenda.appendChild(agendaItem(entries[id], index)); });
      contents.appendChild(agenda);
      totalLine = contents.appendChild(el("p", totalText(), "sg-pack__total"));
      ids.forEach(function (id, index) { contents.appendChild(itemSection(entries[id], index)); });
      status.textContent = message || "The pack has " + items(ids.length) + ", " + minutes(total()) + " in all." +
        (asked.length > MAX_ITEMS ? " A pack holds " + MAX_ITEMS + " items: the first " + MAX_ITEMS + " are shown." : "");
      if (focus) {
        var row = agenda.children[focus.row];
        var button = row && (row.querySelector(focus.button + ":not([disabled])") ||
          row.querySelector("button:not([disabled])"));
        if (button) { button.focus(); }
      }
    }

    root.querySelector("[data-sg-pack-copy]").addEventListener("click", function () {
      var address = pageAddress() + query();
      copy(address).then(function (done) { status.textContent = done ? "Pack link copied: " + address : "Copy this link: " + address; });
    });
    root.querySelector("[data-sg-pack-print]").addEventListener("click", function () { window.print(); });
    root.querySelector("[data-sg-pack-clear]").addEventListener("click", function () {
      var emptied = ids;
      ids = [];
      save(true);
      draw("The pack is empty.", {}, emptied);
    });

    save(false);
    if (!ids.length) { draw(); root.setAttribute("data-ready", ""); return; }
    status.textContent = "Loading " + items(ids.length) + "…";
    Promise.all(ids.map(function (id) { return load(id, pageOf(id), 0); })).then(function (loaded) {
      /* a former id is replaced by the item's id now, once */
      var current = loaded.map(function (entry, i) { return entry.missing || entry.gone ? ids[i] : entry.id; });
      var renamed = current.some(function (id, i) { return id !== ids[i]; });
      ids.forEach(function (id, i) {  /* minutes given under a former id go with the item */
        if (current[i] !== id && timings[id]) { timings[current[i]] = timings[current[i]] || timings[id]; delete timings[id]; }
      });
      loaded.forEach(function (entry, i) { entries[current[i]] = entry; });
      ids = clean(current);
      if (renamed) { save(false); }
      draw();
      root.setAttribute("data-ready", "");
    });
  }

  function start() {
    /* a site built without its address prints its lists' bare paths: the link's full address is better on paper */
    document.querySelectorAll(".sg-item__address").forEach(function (span) {
      var link = span.parentNode.querySelector("a[href]");
      if (link && !/^https?:\/\//.test(span.textContent)) { span.textContent = link.href; }
    });
    document.querySelectorAll("[data-sg-kit]").forEach(kit);
    var root = document.getElementById("sg-pack");
    if (root && root.hasAttribute("data-briefings")) { pack(root); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
