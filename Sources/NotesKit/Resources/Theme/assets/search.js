/*
 * search.js: instant search over the notes, with no library and no network request.
 *
 * The build writes search-index.js, which sets window.NOTES_SEARCH_INDEX to an array of
 * { href, id, title, category, summary, headings: [{ title, anchor }], text }. Loading it as a
 * script (not fetching JSON) keeps search working from file://.
 *
 * Matching is case- and accent-insensitive; every word of the query must occur somewhere in a
 * note (AND). Notes rank by where words occur: title > id > headings > summary > body. Results
 * are built with DOM nodes and textContent only, never innerHTML.
 *
 * Markup (see templates/search-box.mustache): a hidden [data-search] box holding input#search and
 * #search-results (role=listbox); this script unhides it. Keys: / focuses the box, ArrowUp and
 * ArrowDown move through results, Enter opens one, Escape closes the list.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 10;
  var SNIPPET_BEFORE = 48;
  var SNIPPET_AFTER = 110;
  var WEIGHTS = { title: 100, id: 60, headings: 30, summary: 12, text: 4 };
  var COMBINING_MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;

  // ------------------------------------------------------------------ Folding

  /** Lower-cases text and strips accents: "Évaluer" → "evaluer". */
  function fold(text) {
    return text.normalize("NFD").replace(COMBINING_MARKS, "").toLowerCase();
  }

  /**
   * Folds text and remembers, for each folded index, the index in the original text it came
   * from, so that a match found in folded text can be highlighted in the original.
   */
  function foldWithMap(text) {
    if (/^[\x00-\x7f]*$/.test(text)) return { folded: text.toLowerCase(), map: null };
    var folded = "";
    var map = [];
    var index = 0;
    for (var ch of text) {
      var piece = fold(ch);
      for (var k = 0; k < piece.length; k++) map.push(index);
      folded += piece;
      index += ch.length;
    }
    map.push(index);
    return { folded: folded, map: map };
  }

  function originalIndex(folding, i) {
    return folding.map ? folding.map[Math.min(i, folding.map.length - 1)] : i;
  }

  function str(value) {
    return typeof value === "string" ? value : value == null ? "" : String(value);
  }

  // -------------------------------------------------------------------- Index

  var entries = null;

  /** The index, prepared once: folded fields for matching, original text for display. */
  function prepared() {
    if (entries) return entries;
    var raw = window.NOTES_SEARCH_INDEX;
    // Also accept a top-level `const NOTES_SEARCH_INDEX = [...]`, which is not a window property.
    if (raw === undefined && typeof NOTES_SEARCH_INDEX !== "undefined") raw = NOTES_SEARCH_INDEX; // eslint-disable-line no-undef
    if (!Array.isArray(raw)) raw = [];
    entries = [];
    raw.forEach(function (item) {
      if (!item || typeof item !== "object" || !item.href) return;
      var headings = Array.isArray(item.headings) ? item.headings : [];
      var text = str(item.text);
      var summary = str(item.summary);
      entries.push({
        href: str(item.href),
        title: str(item.title) || str(item.href),
        category: str(item.category),
        summary: summary,
        text: text,
        fields: {
          title: fold(str(item.title)),
          id: fold(str(item.id)),
          headings: fold(headings.map(function (h) { return h ? str(h.title) : ""; }).join("\n")),
          summary: fold(summary),
        },
        textFolding: null, // folded lazily: bodies are the bulk of the index
      });
    });
    return entries;
  }

  function textFolding(entry) {
    if (!entry.textFolding) entry.textFolding = foldWithMap(entry.text);
    return entry.textFolding;
  }

  // ------------------------------------------------------------------ Ranking

  function isWordStart(haystack, at) {
    return at === 0 || !/[a-z0-9]/.test(haystack.charAt(at - 1));
  }

  /** The score of one query word in one field: 0 if absent, more for a word start. */
  function fieldScore(haystack, term, weight) {
    var at = haystack.indexOf(term);
    if (at < 0) return 0;
    return isWordStart(haystack, at) ? weight : weight * 0.6;
  }

  /** The best field score of each word, summed; null unless every word occurs. */
  function score(entry, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      var best = Math.max(
        fieldScore(entry.fields.title, term, WEIGHTS.title),
        fieldScore(entry.fields.id, term, WEIGHTS.id),
        fieldScore(entry.fields.headings, term, WEIGHTS.headings),
        fieldScore(entry.fields.summary, term, WEIGHTS.summary)
      );
      if (best < WEIGHTS.summary) {
        best = Math.max(best, fieldScore(textFolding(entry).folded, term, WEIGHTS.text));
      }
      if (best === 0) return null;
      total += best;
    }
    if (entry.fields.title === terms.join(" ")) total += WEIGHTS.title;
    return total;
  }

  function search(query) {
    var terms = fold(query).split(/\s+/).filter(Boolean);
    if (terms.length === 0) return { terms: terms, hits: [] };
    var hits = [];
    prepared().forEach(function (entry, order) {
      var s = score(entry, terms);
      if (s !== null) hits.push({ entry: entry, score: s, order: order });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return { terms: terms, hits: hits.slice(0, MAX_RESULTS) };
  }

  // ----------------------------------------------------------------- Snippets

  /** All [start, end) ranges in the original text where a query word occurs, in order, merged. */
  function matchRanges(folding, terms, from, to) {
    var ranges = [];
    terms.forEach(function (term) {
      var at = folding.folded.indexOf(term, from);
      while (at >= 0 && at < to) {
        ranges.push([originalIndex(folding, at), originalIndex(folding, at + term.length)]);
        at = folding.folded.indexOf(term, at + term.length);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  /** Appends `text`, with the given ranges wrapped in <mark>, to `parent`. */
  function appendMarked(parent, text, ranges, offset) {
    var cursor = 0;
    ranges.forEach(function (r) {
      var start = Math.max(r[0] - offset, cursor);
      var end = Math.min(r[1] - offset, text.length);
      if (end <= start) return;
      if (start > cursor) parent.appendChild(document.createTextNode(text.slice(cursor, start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(start, end);
      parent.appendChild(mark);
      cursor = end;
    });
    if (cursor < text.length) parent.appendChild(document.createTextNode(text.slice(cursor)));
  }

  /** A short piece of the body around the first match, or the summary if the body has none. */
  function snippet(entry, terms) {
    var node = document.createElement("span");
    node.className = "search-result-snippet";
    var folding = textFolding(entry);
    var first = -1;
    terms.forEach(function (term) {
      var at = folding.folded.indexOf(term);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    if (first < 0) {
      var summaryFolding = foldWithMap(entry.summary);
      appendMarked(node, entry.summary, matchRanges(summaryFolding, terms, 0, Infinity), 0);
      return node;
    }
    var text = entry.text;
    var hit = originalIndex(folding, first);
    var start = Math.max(0, hit - SNIPPET_BEFORE);
    var end = Math.min(text.length, hit + SNIPPET_AFTER);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space >= 0 && space < hit) start = space + 1;
    }
    if (end < text.length) {
      var lastSpace = text.lastIndexOf(" ", end);
      if (lastSpace > hit) end = lastSpace;
    }
    var piece = text.slice(start, end).replace(/\s+/g, " ");
    // Collapsing whitespace shifts offsets; recompute ranges on the piece itself.
    var pieceFolding = foldWithMap(piece);
    if (start > 0) node.appendChild(document.createTextNode("… "));
    appendMarked(node, piece, matchRanges(pieceFolding, terms, 0, Infinity), 0);
    if (end < text.length) node.appendChild(document.createTextNode(" …"));
    return node;
  }

  // ---------------------------------------------------------------------- UI

  function setUp(box) {
    var input = box.querySelector("input[type=search]");
    var list = box.querySelector("[role=listbox]");
    var status = box.querySelector("[role=status]");
    if (!input || !list) return;
    var idPrefix = (list.id || "search-results") + "-";
    var options = [];
    var active = -1;

    box.hidden = false;

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      setActive(-1);
    }

    function setActive(index) {
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function announce(message) {
      if (status) status.textContent = message;
    }

    function update() {
      var query = input.value.trim();
      list.replaceChildren();
      options = [];
      active = -1;
      if (!query) {
        close();
        announce("");
        return;
      }
      var result = search(query);
      result.hits.forEach(function (hit, i) {
        var entry = hit.entry;
        var link = document.createElement("a");
        link.className = "search-result";
        link.href = entry.href;
        link.id = idPrefix + i;
        link.setAttribute("role", "option");
        link.setAttribute("aria-selected", "false");
        link.tabIndex = -1;
        var title = document.createElement("span");
        title.className = "search-result-title";
        title.textContent = entry.title;
        link.appendChild(title);
        if (entry.category) {
          var category = document.createElement("span");
          category.className = "search-result-category";
          category.textContent = entry.category;
          link.appendChild(category);
        }
        link.appendChild(snippet(entry, result.terms));
        list.appendChild(link);
        options.push(link);
      });
      if (options.length === 0) {
        var empty = document.createElement("p");
        empty.className = "search-empty";
        empty.textContent = prepared().length ? "No notes match \u201c" + query + "\u201d." : "The search index is empty.";
        list.appendChild(empty);
        announce("No results.");
      } else {
        announce(options.length === 1 ? "1 result." : options.length + " results.");
      }
      open();
    }

    input.addEventListener("input", update);

    input.addEventListener("focus", function () {
      if (input.value.trim() && list.hidden) update();
    });

    input.addEventListener("keydown", function (event) {
      if (event.isComposing) return;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (list.hidden) update();
          if (options.length) setActive(active + 1 >= options.length ? 0 : active + 1);
          break;
        case "ArrowUp":
          event.preventDefault();
          if (options.length) setActive(active <= 0 ? options.length - 1 : active - 1);
          break;
        case "Enter":
          if (!list.hidden && options.length) {
            event.preventDefault();
            window.location.href = options[active >= 0 ? active : 0].href;
          }
          break;
        case "Escape":
          if (!list.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            update();
          } else {
            input.blur();
          }
          break;
      }
    });

    box.addEventListener("focusout", function (event) {
      if (!box.contains(event.relatedTarget)) close();
    });

    document.addEventListener("pointerdown", function (event) {
      if (!box.contains(event.target)) close();
    });

    return input;
  }

  function isEditable(element) {
    if (!element) return false;
    var tag = element.tagName;
    return element.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function start() {
    var inputs = [];
    document.querySelectorAll("[data-search]").forEach(function (box) {
      var input = setUp(box);
      if (input) inputs.push(input);
    });
    if (inputs.length === 0) return;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isEditable(event.target) || event.defaultPrevented) return;
      event.preventDefault();
      inputs[0].focus();
      inputs[0].select();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
