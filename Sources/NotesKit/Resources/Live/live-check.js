// Runs every widget's scenario in a note's WebAssembly module, as the browser would run the
// module, and writes the frames to stdout as LiveRecords (see Sources/LiveSupport/LiveRecord.swift):
// the build compares them with the native run bit for bit. A trap ends the widget's run with a
// record of kind 2 whose text is the error.
//
// usage: node live-check.js MODULE.wasm [MAX_FRAMES]
"use strict";
const fs = require("fs");

const bytes = fs.readFileSync(process.argv[2]);
const maxFrames = Number(process.argv[3] || 100000);
const wasmModule = new WebAssembly.Module(bytes);
const imports = WebAssembly.Module.imports(wasmModule);
if (imports.length > 0) {
  process.stderr.write("the module imports " + imports.map((i) => i.module + "." + i.name).join(", ") + "\n");
  process.exit(3);
}
const chunks = [];
let live = new WebAssembly.Instance(wasmModule, {}).exports;

function record(kind, widget, ops, text) {
  const header = Buffer.alloc(16);
  header.writeUInt32LE(kind, 0);
  header.writeUInt32LE(widget, 4);
  header.writeUInt32LE(ops.length / 8, 8);
  header.writeUInt32LE(text.length, 12);
  chunks.push(header, ops, text);
}

function memoryBytes(address, length) {
  return Buffer.from(new Uint8Array(live.memory.buffer, address, length)); // a copy
}

const widgets = live.notes_live_widgets();
for (let widget = 0; widget < widgets; widget++) {
  record(3, widget, Buffer.alloc(0), Buffer.alloc(0));
  try {
    live.notes_live_scenario_begin(widget);
    let frames = 0;
    while (live.notes_live_scenario_next(widget) && frames++ < maxFrames) {
      const ops = memoryBytes(live.notes_live_ops(widget), live.notes_live_ops_count(widget) * 8);
      const text = memoryBytes(live.notes_live_text(widget), live.notes_live_text_count(widget));
      record(0, widget, ops, text);
    }
    const errorLength = live.notes_live_scenario_error_count(widget);
    if (errorLength > 0) record(1, widget, Buffer.alloc(0), memoryBytes(live.notes_live_scenario_error(widget), errorLength));
  } catch (error) {
    record(2, widget, Buffer.alloc(0), Buffer.from(String((error && error.message) || error)));
    live = new WebAssembly.Instance(wasmModule, {}).exports; // a trapped instance may be in any state
  }
}
process.stdout.write(Buffer.concat(chunks));
