// notes serve: keeps an open page up to date while its author writes. Added by the preview
// server to the pages it sends (never to the built site).
//
// The page listens on a WebSocket. When a build changes this page, it fetches the new page and
// replaces in place only the blocks of its content (`#content`) that differ: the scroll
// position, the fonts, the scripts and any widget elsewhere on the page stay as they were, and
// the browser lays out only what changed. When that cannot be done safely (the head, a script,
// a live widget or anything around the content changed), or the theme's assets changed, it reloads and comes back to the same scroll position once fonts and
// images have laid out. When its note is deleted, it goes to the index. A failed build shows an overlay with every
// diagnostic; the next good build removes it. After a lost connection it reconnects, and
// reloads if it missed a build.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = script ? script.getAttribute("data-build") : "";
  var here = decodeURIComponent(location.pathname.replace(/^\//, "")) || "index.html";
  if (/\/$/.test(here)) here += "index.html";
  var scrollKey = "notes-serve-scroll:" + location.pathname;
  var overlay = null, badge = null, retry = 250;

  // When the page last showed a build: how ("loaded" or "patched"), from when (ms since the
  // epoch: the navigation's start, or the message's arrival) and until when (laid out). For
  // script/bench-serve and the tests.
  function shown(how, start) {
    window.notesServe.shown = { how: how, start: start, at: performance.timeOrigin + performance.now(),
                                count: (window.notesServe.shown ? window.notesServe.shown.count : 0) + 1 };
  }

  // The scroll position saved before a reload, restored after layout.
  var saved = sessionStorage.getItem(scrollKey);
  sessionStorage.removeItem(scrollKey);
  var y = saved === null ? null : Number(saved);
  var restore = function () { if (y !== null) window.scrollTo(0, y); };
  if (y !== null && "scrollRestoration" in history) history.scrollRestoration = "manual";
  window.addEventListener("load", function () {
    restore();
    var fonts = document.fonts && document.fonts.ready ? document.fonts.ready : Promise.resolve();
    fonts.then(function () {
      restore();
      shown("loaded", performance.timeOrigin);
    });
  });

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  // --- Updating in place ---

  // Thrown when the new page differs in a way only a reload shows correctly.
  function NeedsReload(reason) { this.reason = reason; }

  // The child nodes that make up what the page shows: scripts and this script's own elements
  // are left out (they are compared apart, or not the page's).
  function shownChildren(node) {
    var out = [];
    for (var child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 1 && (child.tagName === "SCRIPT" || /^notes-serve-/.test(child.className || "") ||
                                   child.id === "notes-serve-overlay")) continue;
      out.push(child);
    }
    return out;
  }

  // Everything but the shown content: the head (title aside) and every script, as text.
  function frame(doc) {
    var parts = [];
    shownChildren(doc.head).forEach(function (node) { if (node.tagName !== "TITLE") parts.push(node.outerHTML || node.textContent); });
    doc.querySelectorAll("script").forEach(function (node) { if (!node.hasAttribute("data-build")) parts.push(node.outerHTML); });
    return parts.join("\n");
  }

  function sameShell(a, b) {
    if (a.nodeType !== 1 || b.nodeType !== 1 || a.tagName !== b.tagName || a.attributes.length !== b.attributes.length) return false;
    for (var i = 0; i < a.attributes.length; i++) {
      if (b.getAttribute(a.attributes[i].name) !== a.attributes[i].value) return false;
    }
    return true;
  }

  // Whether a node of the page shows what `next` does. A live widget's figure is changed by the
  // widget as it runs, so one is the same as the new page's when it is the same widget (id and
  // number; the module itself is compared with the scripts) with the same caption.
  function same(node, next) {
    if (node.isEqualNode(next)) return true;
    if (node.nodeType !== 1 || next.nodeType !== 1 || !node.hasAttribute("data-live-widget")) return false;
    var caption = node.querySelector("figcaption"), nextCaption = next.querySelector("figcaption");
    return next.getAttribute("data-live-widget") === node.getAttribute("data-live-widget") && next.id === node.id &&
           (caption === null ? nextCaption === null : nextCaption !== null && caption.isEqualNode(nextCaption));
  }

  function holdsWidget(node) {
    return node.nodeType === 1 && (node.matches("[data-live-widget]") || node.querySelector("[data-live-widget]") !== null);
  }

  // Makes `current`'s children show what `next`'s do. With as many children on both sides (a
  // prose edit), each pair that differs is patched (same tag and attributes) or replaced; else
  // the unchanged runs at both ends stay, and the run between them is patched (one element on
  // each side) or replaced.
  function patchChildren(current, next, depth) {
    var a = shownChildren(current), b = shownChildren(next), i;
    if (a.length === b.length) {
      for (i = 0; i < a.length; i++) if (!same(a[i], b[i])) patchNode(current, a[i], b[i], depth);
      return;
    }
    var start = 0;
    while (start < a.length && start < b.length && same(a[start], b[start])) start++;
    var endA = a.length, endB = b.length;
    while (endA > start && endB > start && same(a[endA - 1], b[endB - 1])) { endA--; endB--; }
    if (endA - start === 1 && endB - start === 1) return patchNode(current, a[start], b[start], depth);
    for (i = start; i < endA; i++) if (holdsWidget(a[i])) throw new NeedsReload("a live widget changed");
    for (i = start; i < endB; i++) if (holdsWidget(b[i])) throw new NeedsReload("a live widget changed");
    var anchor = endA < a.length ? a[endA] : null;
    for (i = start; i < endA; i++) a[i].remove();
    for (i = start; i < endB; i++) current.insertBefore(document.importNode(b[i], true), anchor);
  }

  // Makes `node`, a child of `parent`, show `next`: its children patched when it has the same
  // tag and attributes, else replaced whole.
  function patchNode(parent, node, next, depth) {
    if (depth < 12 && sameShell(node, next)) return patchChildren(node, next, depth + 1);
    if (holdsWidget(node) || holdsWidget(next)) throw new NeedsReload("a live widget changed");
    parent.replaceChild(document.importNode(next, true), node);
  }

  // The page as the server sent it, parsed: what scripts changed on the open page (the search
  // box, widgets) is not in it, so it shows whether anything outside the content changed.
  function fetchPage() {
    return fetch(location.pathname + location.search, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new NeedsReload("status " + response.status);
        return response.text();
      })
      .then(function (html) { return new DOMParser().parseFromString(html, "text/html"); });
  }

  function buildOf(doc) {
    var tag = doc.querySelector("script[data-build]");
    return tag ? tag.getAttribute("data-build") : null;
  }

  // The body without the content, for comparing what surrounds it.
  function surroundings(doc) {
    var body = doc.body.cloneNode(true), content = body.querySelector("#content");
    if (content) content.remove();
    body.querySelectorAll("script").forEach(function (node) { node.remove(); });
    return body;
  }

  var served = null, updates = 0;
  window.addEventListener("load", function () {
    served = fetchPage().then(function (doc) {
      if (buildOf(doc) !== build) throw new NeedsReload("the page changed while it loaded");
      return doc;
    });
    served.catch(function () {});
  });

  // Fetches this page from the new build and patches its content in; reloads when anything
  // else changed, or the content cannot be patched safely. Of updates that overlap, only the last
  // one started patches.
  function update() {
    var start = performance.timeOrigin + performance.now(), number = ++updates;
    Promise.all([served || Promise.reject(new NeedsReload("the page is still loading")), fetchPage()])
      .then(function (docs) {
        if (number !== updates) return;
        var before = docs[0], next = docs[1];
        var content = document.getElementById("content"), nextContent = next.getElementById("content");
        if (!content || !nextContent) throw new NeedsReload("no #content to patch");
        if (frame(next) !== frame(before)) throw new NeedsReload("the head or a script changed");
        if (!surroundings(next).isEqualNode(surroundings(before))) throw new NeedsReload("something around the content changed");
        patchChildren(content, nextContent, 0);
        if (document.title !== next.title) document.title = next.title;
        served = Promise.resolve(next);
        requestAnimationFrame(function () { setTimeout(function () { shown("patched", start); }, 0); });
      })
      .catch(function (error) {
        if (number !== updates) return;
        if (!(error instanceof NeedsReload)) console.warn("notes serve: reloading:", error);
        sessionStorage.setItem("notes-serve-reloaded-because", error instanceof NeedsReload ? error.reason : String(error));
        reload();
      });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var STYLE = "position:fixed;z-index:2147483647;font:14px/1.45 system-ui,sans-serif;";

  function showBadge(text) {
    if (!badge) {
      badge = element("div", "notes-serve-badge");
      badge.setAttribute("role", "status");
      badge.style.cssText = STYLE + "right:12px;bottom:12px;padding:6px 10px;border-radius:6px;background:#1f2937;color:#f9fafb;opacity:.9";
      document.body.appendChild(badge);
    }
    badge.textContent = text;
  }

  function hideBadge() {
    if (badge) { badge.remove(); badge = null; }
  }

  function showOverlay(problems, current) {
    hideOverlay();
    overlay = element("div", "notes-serve-overlay");
    overlay.id = "notes-serve-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-label", "The build failed");
    overlay.style.cssText = STYLE + "inset:0;overflow:auto;background:rgba(17,24,39,.92);color:#f9fafb;padding:24px";
    var box = element("div");
    box.style.cssText = "max-width:60rem;margin:0 auto";
    // Build ids end in the number of good builds: "-0" means there is no good site yet.
    var title = element("h2", "", /-0$/.test(current || "") ? "The build failed: there is no good build to show yet"
                                                            : "The build failed: this page shows the last good build");
    title.style.cssText = "margin:0 0 12px;font-size:20px;color:#fca5a5";
    box.appendChild(title);
    problems.forEach(function (p) {
      var item = element("section", "notes-serve-problem");
      item.style.cssText = "margin:0 0 16px;padding:12px;border-left:4px solid #f87171;background:#111827";
      var head = element("p");
      head.style.cssText = "margin:0 0 6px;font-family:ui-monospace,monospace";
      head.appendChild(element("strong", "notes-serve-location", p.location));
      head.appendChild(document.createTextNode(": " + p.severity + ": " + p.message));
      item.appendChild(head);
      if (p.detail) {
        var pre = element("pre", "notes-serve-detail", p.detail);
        pre.style.cssText = "margin:0;white-space:pre-wrap;font:13px/1.4 ui-monospace,monospace;color:#d1d5db";
        item.appendChild(pre);
      }
      box.appendChild(item);
    });
    var close = element("button", "", "Hide until the next build");
    close.style.cssText = "font:inherit;padding:8px 14px;border-radius:6px;border:1px solid #9ca3af;background:#374151;color:#f9fafb;cursor:pointer";
    close.addEventListener("click", hideOverlay);
    box.appendChild(close);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  }

  function hideOverlay() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  // What a build means for this page: "reload" (a shared asset changed), "update" (the page
  // changed) or "" (nothing it shows).
  function effectOn(message) {
    var changed = message.changed || [], effect = "";
    for (var i = 0; i < changed.length; i++) {
      var path = changed[i];
      if (path === here) effect = "update";
      // Styles, scripts and fonts are shared by every page; the search index is read on use.
      else if (!/\.html$/.test(path) && !/^search-index\./.test(path)) return "reload";
    }
    return effect;
  }

  function receive(message) {
    window.notesServe.messages.push(message);
    switch (message.type) {
      case "hello":
        if (message.build !== build) return reload(); // a build happened while we were away
        if (message.state === "failed") showOverlay(message.diagnostics || [], message.build);
        if (message.state === "building") showBadge("Building…");
        return;
      case "building":
        showBadge("Building…");
        return;
      case "built":
        hideBadge();
        hideOverlay();
        if ((message.removed || []).indexOf(here) >= 0) { location.href = "/"; return; }
        var effect = effectOn(message);
        if (effect === "reload") return reload();
        build = message.build;
        window.notesServe.build = build;
        if (effect === "update") update();
        return;
      case "failed":
        hideBadge();
        showOverlay(message.diagnostics || [], message.build);
        return;
    }
  }

  function connect() {
    var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__notes/events");
    socket.onopen = function () { retry = 250; window.notesServe.connected = true; };
    socket.onmessage = function (event) {
      try { receive(JSON.parse(event.data)); } catch (error) { console.warn("notes serve:", error); }
    };
    socket.onclose = function () {
      window.notesServe.connected = false;
      showBadge("Disconnected from notes serve; retrying…");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 4000);
    };
  }

  // Why the last update had to reload the page, if it did (for the tests and the curious).
  var because = sessionStorage.getItem("notes-serve-reloaded-because");
  sessionStorage.removeItem("notes-serve-reloaded-because");
  window.notesServe = { build: build, messages: [], connected: false, reloadedBecause: because };
  connect();
})();
