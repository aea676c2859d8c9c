// Runs a page's live widgets: the note's own Swift, compiled to WebAssembly at build time.
//
// Generic: nothing here knows a widget. The module (inlined as base64 in the page, so that it
// works from file:// and offline) draws each frame into a display list in its memory; this
// script paints the list on canvases, builds the controls the list declares, and turns the
// reader's input into calls of the module's exports. The codes are those of
// Sources/LiveSupport/LiveOp.swift, and the layout is LiveFigure.Layout's, so the live figure
// replaces the static SVG in place.
(function () {
  "use strict";
  var source = document.getElementById("notes-live-module");
  var figures = document.querySelectorAll("figure.live-widget[data-live-widget]");
  if (!source || !figures.length || typeof WebAssembly !== "object") return;

  var OP = { frame: 0, plot: 1, xTick: 2, yTick: 3, line: 4, polyline: 5, point: 6, text: 7, shade: 8, points: 9, control: 10, readout: 11 };
  var KIND = { slider: 0, logSlider: 1, button: 2, toggle: 3, playPause: 4, choice: 5, points: 6 };
  var EVENT = { set: 1, press: 2, addPoint: 3, movePoint: 4, deletePoint: 5 };
  var MARGIN = { left: 52, right: 14, top: 28, bottom: 42 };
  var SIZES = [[640, 400], [320, 260]]; // large, small: width and height of the layout
  var reduceMotion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : { matches: false };
  var decoder = new TextDecoder();
  var exportsCache = null;
  var stats = (window.notesLive = { startedAt: null, firstFrameAt: null, widgets: [] });

  /** The module's exports, instantiated on first use. */
  function live() {
    if (exportsCache) return exportsCache;
    var text = atob(source.textContent.replace(/\s+/g, ""));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    exportsCache = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
    stats.moduleBytes = bytes.length;
    return exportsCache;
  }

  /** Argument counts, as LiveDisplayList.argumentCount. */
  function argumentCount(ops, code, a) {
    switch (code) {
      case OP.frame: return 4;
      case OP.plot: return 14;
      case OP.xTick: case OP.yTick: return 4;
      case OP.line: return 7;
      case OP.polyline: return 4 + 2 * ops[a + 3];
      case OP.point: return 5;
      case OP.text: return 7;
      case OP.shade: return 5 + ops[a + 3] * ops[a + 4];
      case OP.points: return 4 + 2 * ops[a + 3];
      case OP.control: return 9 + 2 * ops[a + 8];
      case OP.readout: return 4;
      default: return ops.length;
    }
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    for (var name in attributes) node.setAttribute(name, attributes[name]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Widget `number` of the module, taking over `figure`. */
  function Widget(figure, number) {
    this.figure = figure;
    this.number = number;
    this.plots = [];
    this.controls = {};
    this.running = false;
    this.visible = true;
    this.frames = 0;
    this.selected = {};
    this.log = []; // every frame's event (null for none), so a session can be replayed natively
    stats.widgets[number] = this;
  }

  Widget.prototype.call = function (name) {
    var args = Array.prototype.slice.call(arguments, 1);
    return live()[name].apply(null, [this.number].concat(args));
  };

  /** Runs one frame (after an event, if any) and paints it. */
  Widget.prototype.frame = function (event) {
    if (this.failed) return;
    if (this.log.length < 100000) this.log.push(event ? event.slice() : null);
    try {
      if (event) this.call("notes_live_send", event[0], event[1], event[2] || 0, event[3] || 0, event[4] || 0);
      this.call("notes_live_frame");
      this.read();
    } catch (error) {
      this.fail(error);
      return;
    }
    this.frames++;
    if (!this.built) this.build();
    this.paint();
    this.update();
    if (stats.firstFrameAt === null) stats.firstFrameAt = performance.now();
    this.schedule();
  };

  /** Copies the frame's display list out of the module's memory. */
  Widget.prototype.read = function () {
    var memory = live().memory.buffer;
    var count = this.call("notes_live_ops_count"), address = this.call("notes_live_ops");
    this.ops = address % 8 === 0 ? new Float64Array(memory, address, count).slice() : new Float64Array(memory.slice(address, address + 8 * count));
    var length = this.call("notes_live_text_count");
    this.text = new Uint8Array(memory, this.call("notes_live_text"), length).slice();
    this.parse();
  };

  Widget.prototype.string = function (at) {
    return decoder.decode(this.text.subarray(this.ops[at], this.ops[at] + this.ops[at + 1]));
  };

  /** Sorts the display list into plots, controls and readouts. */
  Widget.prototype.parse = function () {
    var ops = this.ops, plots = [], controls = [], readouts = [];
    this.animating = ops[2] === 1;
    for (var i = 0; i < ops.length;) {
      var code = ops[i], a = i + 1, n = argumentCount(ops, code, a);
      var plot = plots[ops[a]];
      switch (code) {
        case OP.plot:
          plots.push({ small: ops[a + 1] === 1, x: [ops[a + 2], ops[a + 3]], y: [ops[a + 4], ops[a + 5]], xLog: ops[a + 6] === 1, yLog: ops[a + 7] === 1,
                       title: this.string(a + 8), xLabel: this.string(a + 10), yLabel: this.string(a + 12), xTicks: [], yTicks: [], items: [] });
          break;
        case OP.xTick: if (plot) plot.xTicks.push([ops[a + 1], this.string(a + 2)]); break;
        case OP.yTick: if (plot) plot.yTicks.push([ops[a + 1], this.string(a + 2)]); break;
        case OP.control: {
          var options = [];
          for (var k = 0; k < ops[a + 8]; k++) options.push(this.string(a + 9 + 2 * k));
          controls.push({ id: ops[a], kind: ops[a + 1], label: this.string(a + 2), value: ops[a + 4], min: ops[a + 5], max: ops[a + 6], step: ops[a + 7], options: options });
          break;
        }
        case OP.readout: readouts.push([this.string(a), this.string(a + 2)]); break;
        case OP.text: if (plot) plot.items.push({ op: code, a: a, label: this.string(a + 5) }); break;
        case OP.points:
          if (plot) { plot.items.push({ op: code, a: a }); plot.editable = { control: ops[a + 1], a: a }; }
          break;
        default: if (plot && code !== OP.frame) plot.items.push({ op: code, a: a });
      }
      i = a + n;
    }
    this.scene = { plots: plots, controls: controls, readouts: readouts };
  };

  // MARK: - Building the live figure

  Widget.prototype.build = function () {
    var self = this, figure = this.figure;
    this.built = true;
    figure.classList.add("is-live");
    var holders = figure.querySelectorAll(".live-plot");
    this.scene.plots.forEach(function (plot, index) {
      var holder = holders[index];
      if (!holder) return;
      var canvas = element("canvas", { class: "live-canvas", role: "img", "aria-label": plot.title });
      var svg = holder.querySelector("svg");
      if (svg) canvas.appendChild(svg); // the static figure stays as the canvas's text alternative
      holder.appendChild(canvas);
      self.plots[index] = { canvas: canvas, holder: holder };
      if (plot.editable) self.editable(canvas, index, plot);
    });
    var panel = element("div", { class: "live-controls" });
    this.scene.controls.forEach(function (control) { self.control(panel, control); });
    this.share = element("a", { class: "live-share", href: "#" + figure.id }, "Link to this state");
    panel.appendChild(this.share);
    var plots = figure.querySelector(".live-plots");
    plots.parentNode.insertBefore(panel, plots.nextSibling);
    var staticControls = figure.querySelector(".live-static-controls");
    if (staticControls) staticControls.hidden = true;
    this.readouts = figure.querySelector(".live-readouts");
    this.message = figure.querySelector(".live-message");
    this.message.textContent = "Live: this figure runs the note's Swift in your browser, compiled to WebAssembly.";
    if (window.ResizeObserver) new ResizeObserver(function () { self.paint(); }).observe(plots);
  };

  /** The DOM for one control. */
  Widget.prototype.control = function (panel, control) {
    var self = this, id = this.figure.id + "-c" + control.id, row, input;
    var send = function (kind, value) { self.interacted = true; self.frame([kind, control.id, value]); };
    switch (control.kind) {
      case KIND.slider:
      case KIND.logSlider: {
        var log = control.kind === KIND.logSlider;
        var toSlider = function (v) { return log ? Math.log10(v) : v; };
        row = element("div", { class: "live-control live-slider" });
        row.appendChild(element("label", { for: id }, control.label));
        input = element("input", { type: "range", id: id, min: toSlider(control.min), max: toSlider(control.max),
                                   step: log ? "any" : control.step > 0 ? control.step : "any" });
        var box = element("input", { type: "number", class: "live-number", "aria-label": control.label + " (value)",
                                     min: control.min, max: control.max, step: control.step > 0 ? control.step : "any" });
        input.addEventListener("input", function () { send(EVENT.set, log ? Math.pow(10, Number(input.value)) : Number(input.value)); });
        box.addEventListener("change", function () { if (box.value !== "") send(EVENT.set, Number(box.value)); });
        row.appendChild(input);
        row.appendChild(box);
        this.controls[control.id] = { kind: control.kind, update: function (c) {
          if (document.activeElement !== input) input.value = toSlider(c.value);
          if (document.activeElement !== box) box.value = Number(c.value.toPrecision(6));
        } };
        break;
      }
      case KIND.button:
        row = element("button", { type: "button", class: "live-control live-button", id: id }, control.label);
        row.addEventListener("click", function () { send(EVENT.press, 0); });
        break;
      case KIND.playPause:
        row = element("button", { type: "button", class: "live-control live-button live-play", id: id, "aria-pressed": "false" }, "Run");
        row.addEventListener("click", function () { send(EVENT.press, 0); });
        this.controls[control.id] = { kind: control.kind, update: function (c) {
          row.setAttribute("aria-pressed", c.value ? "true" : "false");
          row.textContent = c.value ? "Pause" : "Run";
        } };
        break;
      case KIND.toggle:
        row = element("label", { class: "live-control live-toggle" });
        input = element("input", { type: "checkbox", id: id });
        input.addEventListener("change", function () { send(EVENT.set, input.checked ? 1 : 0); });
        row.appendChild(input);
        row.appendChild(document.createTextNode(" " + control.label));
        this.controls[control.id] = { kind: control.kind, update: function (c) { input.checked = c.value !== 0; } };
        break;
      case KIND.choice:
        row = element("div", { class: "live-control live-choice" });
        row.appendChild(element("label", { for: id }, control.label));
        input = element("select", { id: id });
        control.options.forEach(function (option, index) { input.appendChild(element("option", { value: index }, option)); });
        input.addEventListener("change", function () { send(EVENT.set, Number(input.value)); });
        row.appendChild(input);
        this.controls[control.id] = { kind: control.kind, update: function (c) { input.value = String(c.value); } };
        break;
      case KIND.points: {
        row = element("div", { class: "live-control live-point-buttons", role: "group", "aria-label": control.label });
        var add = element("button", { type: "button", class: "live-button" }, "Add point");
        var remove = element("button", { type: "button", class: "live-button" }, "Delete point");
        add.addEventListener("click", function () { self.addPoint(control.id); });
        remove.addEventListener("click", function () { self.deleteSelected(control.id); });
        row.appendChild(add);
        row.appendChild(remove);
        break;
      }
      default:
        return;
    }
    panel.appendChild(row);
  };

  /** Updates the controls and readouts from the frame. */
  Widget.prototype.update = function () {
    var self = this, state = [];
    this.scene.controls.forEach(function (control) {
      var view = self.controls[control.id];
      if (view) view.update(control);
      if (control.kind === KIND.slider || control.kind === KIND.logSlider || control.kind === KIND.toggle || control.kind === KIND.choice) {
        state.push("c" + control.id + "=" + control.value);
      }
    });
    this.scene.plots.forEach(function (plot) {
      if (!plot.editable) return;
      var ops = self.ops, a = plot.editable.a, list = [];
      for (var k = 0; k < ops[a + 3]; k++) list.push(round(ops[a + 4 + 2 * k]) + "," + round(ops[a + 5 + 2 * k]));
      state.push("p" + plot.editable.control + "=" + list.join(";"));
    });
    if (this.share) this.share.href = "#" + this.figure.id + ":" + state.join("&");
    if (this.readouts) {
      var html = document.createDocumentFragment();
      this.scene.readouts.forEach(function (r) {
        var pair = element("div");
        pair.appendChild(element("dt", {}, r[0]));
        pair.appendChild(element("dd", {}, r[1]));
        html.appendChild(pair);
      });
      this.readouts.replaceChildren(html);
      this.readouts.setAttribute("aria-live", this.animating ? "off" : "polite"); // no torrent of announcements while it runs
    }
  };

  function round(v) { return Number(v.toPrecision(6)); }

  /** Restores the state in the URL fragment `#ID:c0=…&p3=x,y;x,y`, if it is this widget's. */
  Widget.prototype.restore = function () {
    var hash = decodeURIComponent(location.hash.slice(1)), prefix = this.figure.id + ":";
    if (hash.indexOf(prefix) !== 0) return;
    var self = this;
    hash.slice(prefix.length).split("&").forEach(function (part) {
      var m = /^([cp])(\d+)=(.*)$/.exec(part);
      if (!m) return;
      var id = Number(m[2]);
      if (m[1] === "c") {
        var value = Number(m[3]);
        if (isFinite(value)) self.frame([EVENT.set, id, value]);
        return;
      }
      var plot = self.scene.plots.filter(function (p) { return p.editable && p.editable.control === id; })[0];
      if (!plot) return;
      for (var k = self.ops[plot.editable.a + 3]; k > 0; k--) self.frame([EVENT.deletePoint, id, k - 1]);
      m[3].split(";").forEach(function (xy) {
        var c = xy.split(",").map(Number);
        if (c.length === 2 && isFinite(c[0]) && isFinite(c[1])) self.frame([EVENT.addPoint, id, 0, c[0], c[1]]);
      });
    });
    this.figure.scrollIntoView();
  };

  /** Keeps frames coming while the widget animates, is on screen and may move. */
  Widget.prototype.schedule = function () {
    var self = this;
    if (!this.animating || !this.visible || this.pending || this.failed) return;
    this.pending = true;
    requestAnimationFrame(function () { self.pending = false; if (self.animating && self.visible) self.frame(null); });
  };

  Widget.prototype.fail = function (error) {
    this.failed = true;
    this.figure.classList.add("live-failed");
    if (this.message) this.message.textContent = "The live widget stopped (" + ((error && error.message) || error) + "); the figure shows its last frame.";
    else {
      var message = this.figure.querySelector(".live-message");
      if (message) message.textContent = "The live widget could not start (" + ((error && error.message) || error) + "); this is the figure drawn at build time.";
    }
  };

  // MARK: - Painting

  function colors(figure) {
    var style = getComputedStyle(figure), list = [];
    for (var i = 0; i < 8; i++) list.push(style.getPropertyValue("--live-" + i).trim() || "#888");
    return { list: list, grid: style.getPropertyValue("--live-grid").trim() || "#ddd", frame: style.getPropertyValue("--live-frame").trim() || "#999",
             text: style.getPropertyValue("--live-text").trim() || "#222", font: style.getPropertyValue("font-family") };
  }

  /** Maps a plot's coordinates to canvas pixels for a plot `width` × `height` pixels. */
  function mapping(plot, width, height) {
    var left = MARGIN.left, right = width - MARGIN.right, top = MARGIN.top, bottom = height - MARGIN.bottom;
    function axis(range, log, from, to) {
      var a = log ? Math.log10(range[0]) : range[0], b = log ? Math.log10(range[1]) : range[1];
      return function (v) {
        if (!isFinite(v)) return null;
        var t = log ? (v > 0 ? (Math.log10(v) - a) / (b - a) : -1e3) : (v - a) / (b - a);
        return from + Math.max(-1e3, Math.min(1e3, t)) * (to - from);
      };
    }
    return { left: left, right: right, top: top, bottom: bottom, x: axis(plot.x, plot.xLog, left, right), y: axis(plot.y, plot.yLog, bottom, top),
             invert: function (px, py) {
               function back(range, log, p, from, to) {
                 var t = (p - from) / (to - from), a = log ? Math.log10(range[0]) : range[0], b = log ? Math.log10(range[1]) : range[1];
                 var v = a + t * (b - a);
                 return log ? Math.pow(10, v) : v;
               }
               return [back(plot.x, plot.xLog, px, left, right), back(plot.y, plot.yLog, py, bottom, top)];
             } };
  }

  Widget.prototype.paint = function () {
    if (!this.scene) return;
    var self = this, palette = colors(this.figure);
    this.scene.plots.forEach(function (plot, index) {
      var view = self.plots[index];
      if (!view) return;
      var size = SIZES[plot.small ? 1 : 0];
      var width = view.holder.clientWidth || size[0], height = Math.round(width * size[1] / size[0]);
      var ratio = window.devicePixelRatio || 1, canvas = view.canvas;
      if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
        canvas.width = Math.round(width * ratio);
        canvas.height = Math.round(height * ratio);
      }
      canvas.style.height = height + "px";
      var g = canvas.getContext("2d");
      g.setTransform(ratio, 0, 0, ratio, 0, 0);
      g.clearRect(0, 0, width, height);
      var m = mapping(plot, width, height);
      view.mapping = m;
      self.paintPlot(g, plot, m, palette, width, height);
    });
  };

  Widget.prototype.paintPlot = function (g, plot, m, palette, width, height) {
    var ops = this.ops;
    g.font = "12px " + palette.font;
    g.fillStyle = palette.text;
    g.textAlign = "left";
    g.font = "600 13px " + palette.font;
    g.fillText(plot.title, m.left, 18);
    g.font = "12px " + palette.font;
    g.strokeStyle = palette.grid;
    g.lineWidth = 1;
    plot.xTicks.forEach(function (t) {
      var x = m.x(t[0]);
      if (x === null) return;
      g.beginPath(); g.moveTo(x, m.top); g.lineTo(x, m.bottom); g.stroke();
      g.textAlign = "center"; g.fillText(t[1], x, m.bottom + 16);
    });
    plot.yTicks.forEach(function (t) {
      var y = m.y(t[0]);
      if (y === null) return;
      g.beginPath(); g.moveTo(m.left, y); g.lineTo(m.right, y); g.stroke();
      g.textAlign = "right"; g.fillText(t[1], m.left - 6, y + 4);
    });
    g.strokeStyle = palette.frame;
    g.strokeRect(m.left, m.top, m.right - m.left, m.bottom - m.top);
    g.textAlign = "center";
    if (plot.xLabel) g.fillText(plot.xLabel, (m.left + m.right) / 2, height - 6);
    if (plot.yLabel) { g.save(); g.translate(14, (m.top + m.bottom) / 2); g.rotate(-Math.PI / 2); g.fillText(plot.yLabel, 0, 0); g.restore(); }
    g.save();
    g.beginPath(); g.rect(m.left, m.top, m.right - m.left, m.bottom - m.top); g.clip();
    var selected = this.selected[plot.editable ? plot.editable.control : -1];
    plot.items.forEach(function (item) {
      var a = item.a, color = palette.list[Math.min(7, Math.max(0, ops[a + 1]))];
      switch (item.op) {
        case OP.shade: {
          var columns = ops[a + 3], rows = ops[a + 4], w = (m.right - m.left) / columns, h = (m.bottom - m.top) / rows;
          g.globalAlpha = 0.35; g.fillStyle = color; g.fillRect(m.left, m.top, m.right - m.left, m.bottom - m.top);
          g.fillStyle = palette.list[Math.min(7, Math.max(0, ops[a + 2]))];
          for (var r = 0; r < rows; r++) for (var c = 0; c < columns; c++) {
            var v = ops[a + 5 + r * columns + c];
            if (v <= 0.005) continue;
            g.globalAlpha = 0.35 * v;
            g.fillRect(m.left + c * w, m.bottom - (r + 1) * h, w + 0.5, h + 0.5);
          }
          g.globalAlpha = 1;
          break;
        }
        case OP.line:
        case OP.polyline: {
          var points = item.op === OP.line ? [[ops[a + 3], ops[a + 4]], [ops[a + 5], ops[a + 6]]] : [];
          if (item.op === OP.polyline) for (var k = 0; k < ops[a + 3]; k++) points.push([ops[a + 4 + 2 * k], ops[a + 5 + 2 * k]]);
          g.strokeStyle = color; g.lineWidth = ops[a + 2]; g.lineJoin = "round";
          g.beginPath();
          var pen = false;
          points.forEach(function (p) {
            var x = m.x(p[0]), y = m.y(p[1]);
            if (x === null || y === null) { pen = false; return; }
            if (pen) g.lineTo(x, y); else g.moveTo(x, y);
            pen = true;
          });
          g.stroke();
          break;
        }
        case OP.point: {
          var px = m.x(ops[a + 3]), py = m.y(ops[a + 4]);
          if (px === null || py === null) break;
          g.fillStyle = color; g.beginPath(); g.arc(px, py, Math.min(40, Math.max(0, ops[a + 2])), 0, 2 * Math.PI); g.fill();
          break;
        }
        case OP.points: {
          g.fillStyle = palette.list[Math.min(7, Math.max(0, ops[a + 2]))];
          for (var i = 0; i < ops[a + 3]; i++) {
            var hx = m.x(ops[a + 4 + 2 * i]), hy = m.y(ops[a + 5 + 2 * i]);
            if (hx === null || hy === null) continue;
            g.beginPath(); g.arc(hx, hy, 6, 0, 2 * Math.PI); g.fill();
            if (i === selected) { g.strokeStyle = palette.text; g.lineWidth = 2; g.beginPath(); g.arc(hx, hy, 10, 0, 2 * Math.PI); g.stroke(); }
          }
          break;
        }
        case OP.text: {
          var tx = m.x(ops[a + 2]), ty = m.y(ops[a + 3]);
          if (tx === null || ty === null) break;
          g.fillStyle = color; g.textAlign = ["left", "center", "right"][Math.min(2, Math.max(0, ops[a + 4]))];
          g.fillText(item.label, tx, ty);
          break;
        }
      }
    });
    g.restore();
  };

  // MARK: - Points: pointer and keyboard

  Widget.prototype.points = function (control) {
    var plot = this.scene.plots.filter(function (p) { return p.editable && p.editable.control === control; })[0];
    if (!plot) return { plot: null, list: [] };
    var ops = this.ops, a = plot.editable.a, list = [];
    for (var k = 0; k < ops[a + 3]; k++) list.push([ops[a + 4 + 2 * k], ops[a + 5 + 2 * k]]);
    return { plot: plot, list: list, index: this.scene.plots.indexOf(plot) };
  };

  Widget.prototype.addPoint = function (control, x, y) {
    var found = this.points(control);
    if (!found.plot) return;
    if (x === undefined) { x = (found.plot.x[0] + found.plot.x[1]) / 2; y = (found.plot.y[0] + found.plot.y[1]) / 2; }
    this.interacted = true;
    this.frame([EVENT.addPoint, control, 0, x, y]);
    this.selected[control] = this.points(control).list.length - 1;
    this.paint();
  };

  Widget.prototype.deleteSelected = function (control) {
    var index = this.selected[control], count = this.points(control).list.length;
    if (index === undefined || index < 0 || index >= count) index = count - 1;
    if (index < 0) return;
    this.interacted = true;
    this.frame([EVENT.deletePoint, control, index]);
    this.selected[control] = Math.min(index, count - 2);
    this.paint();
  };

  Widget.prototype.editable = function (canvas, plotIndex, plot) {
    var self = this, control = plot.editable.control, dragging = null;
    canvas.tabIndex = 0;
    var help = element("p", { class: "live-help", id: this.figure.id + "-help-" + plotIndex },
      "On the plot: drag a point to move it, tap an empty place to add one, double-tap a point to delete it. " +
      "With the keyboard: Page Up and Page Down select a point, the arrow keys move it, + adds a point, Delete removes it.");
    canvas.setAttribute("aria-describedby", help.id);
    canvas.parentNode.insertBefore(help, canvas.nextSibling);
    function position(event) {
      var box = canvas.getBoundingClientRect();
      return [event.clientX - box.left, event.clientY - box.top];
    }
    function nearest(p) {
      var m = self.plots[plotIndex].mapping, list = self.points(control).list, best = -1, distance = 22 * 22;
      list.forEach(function (q, i) {
        var dx = m.x(q[0]) - p[0], dy = m.y(q[1]) - p[1];
        if (dx * dx + dy * dy <= distance) { distance = dx * dx + dy * dy; best = i; }
      });
      return best;
    }
    canvas.addEventListener("pointerdown", function (event) {
      var p = position(event), m = self.plots[plotIndex].mapping, hit = nearest(p);
      if (p[0] < m.left || p[0] > m.right || p[1] < m.top || p[1] > m.bottom) return;
      event.preventDefault();
      canvas.focus();
      if (hit >= 0) {
        dragging = hit;
        self.selected[control] = hit;
        canvas.setPointerCapture(event.pointerId);
        self.paint();
      } else {
        var xy = m.invert(p[0], p[1]);
        self.addPoint(control, xy[0], xy[1]);
      }
    });
    canvas.addEventListener("pointermove", function (event) {
      if (dragging === null) return;
      var p = position(event), xy = self.plots[plotIndex].mapping.invert(p[0], p[1]);
      self.interacted = true;
      self.frame([EVENT.movePoint, control, dragging, xy[0], xy[1]]);
    });
    canvas.addEventListener("pointerup", function () { dragging = null; });
    canvas.addEventListener("pointercancel", function () { dragging = null; });
    canvas.addEventListener("dblclick", function (event) {
      var hit = nearest(position(event));
      if (hit < 0) return;
      self.selected[control] = hit;
      self.deleteSelected(control);
    });
    canvas.addEventListener("keydown", function (event) {
      var list = self.points(control).list, index = self.selected[control];
      if (index === undefined || index >= list.length) index = list.length - 1;
      var dx = (plot.x[1] - plot.x[0]) * (event.shiftKey ? 0.1 : 0.02), dy = (plot.y[1] - plot.y[0]) * (event.shiftKey ? 0.1 : 0.02);
      var moves = { ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, dy], ArrowDown: [0, -dy] };
      if (moves[event.key] && index >= 0) {
        var q = list[index];
        self.selected[control] = index;
        self.interacted = true;
        self.frame([EVENT.movePoint, control, index, q[0] + moves[event.key][0], q[1] + moves[event.key][1]]);
      } else if (event.key === "PageDown" || event.key === "PageUp") {
        if (!list.length) return;
        self.selected[control] = ((index < 0 ? 0 : index) + (event.key === "PageDown" ? 1 : list.length - 1)) % list.length;
        self.paint();
      } else if (event.key === "+" || event.key === "Insert") {
        self.addPoint(control);
      } else if (event.key === "Delete" || event.key === "Backspace") {
        self.deleteSelected(control);
      } else {
        return;
      }
      event.preventDefault();
    });
  };

  // MARK: - Starting

  function start(figure) {
    var widget = new Widget(figure, Number(figure.getAttribute("data-live-widget")));
    if (stats.startedAt === null) stats.startedAt = performance.now();
    widget.frame(null);
    if (widget.failed) return;
    widget.restore();
    // Nothing moves on its own for readers who asked for less motion.
    if (reduceMotion.matches && widget.animating) {
      var play = widget.scene.controls.filter(function (c) { return c.kind === KIND.playPause && c.value; })[0];
      if (play) widget.frame([EVENT.press, play.id, 0]);
    }
    if (window.IntersectionObserver) {
      new IntersectionObserver(function (entries) {
        widget.visible = entries[entries.length - 1].isIntersecting;
        widget.schedule();
      }).observe(figure);
    }
    if (window.matchMedia) window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function () { widget.paint(); });
  }

  var NEAR = 300; // px above and below the screen within which a widget starts
  var observer = window.IntersectionObserver ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      observer.unobserve(entry.target);
      start(entry.target);
    });
  }, { rootMargin: NEAR + "px 0px" }) : null;
  // The widget a link points at, and those already near the screen, start at once, so that
  // their first live frame comes with the page's first paint; the others when they come near.
  var target = decodeURIComponent(location.hash.slice(1)).split(":")[0];
  Array.prototype.forEach.call(figures, function (figure) {
    var box = figure.getBoundingClientRect();
    var near = box.bottom > -NEAR && box.top < window.innerHeight + NEAR;
    if (!observer || figure.id === target || near) start(figure); else observer.observe(figure);
  });
})();
