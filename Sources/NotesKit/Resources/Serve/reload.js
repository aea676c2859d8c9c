// notes serve: keeps an open page up to date while its author writes. Added by the preview
// server to the pages it sends (never to the built site).
//
// The page listens on a WebSocket. When a build changes this page (or the theme's assets), it
// reloads and comes back to the same scroll position once fonts and images have laid out; when
// its note is deleted, it goes to the index. A failed build shows an overlay with every
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

  // The scroll position saved before a reload, restored after layout.
  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    var y = Number(saved);
    var restore = function () { window.scrollTo(0, y); };
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    window.addEventListener("load", function () {
      restore();
      if (document.fonts && document.fonts.ready) document.fonts.ready.then(restore);
    });
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
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

  function affectsThisPage(message) {
    var changed = message.changed || [];
    for (var i = 0; i < changed.length; i++) {
      var path = changed[i];
      if (path === here) return true;
      // Styles, scripts and fonts are shared by every page; the search index is read on use.
      if (!/\.html$/.test(path) && !/^search-index\./.test(path)) return true;
    }
    return false;
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
        if (affectsThisPage(message)) return reload();
        build = message.build;
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

  window.notesServe = { build: build, messages: [], connected: false };
  connect();
})();
