// Typesets TeX with KaTeX for notes' KaTeXRenderer, one long-lived process per build.
//
// Usage: node katex-server.js <katex module path>
//
// Requests arrive on stdin, one JSON object per line: {"i": index, "d": displayMode, "t": tex}.
// Every reply on stdout is a frame, a header line then exactly <length> bytes of UTF-8:
//
//   <index> <kind> <length>\n<payload>
//
// kind is "html" (payload is KaTeX's HTML+MathML), "error" (payload is the error message) or,
// once at start-up with index 0, "ready" (payload is the KaTeX version). Replies come in request
// order. If KaTeX cannot be loaded the process prints why on stderr and exits with status 3.
'use strict';

const modulePath = process.argv[2] || '/usr/share/nodejs/katex';
let katex;
try {
  katex = require(modulePath);
} catch (error) {
  process.stderr.write(`cannot load KaTeX from ${modulePath}: ${String(error && error.message).split('\n')[0]}\n`);
  process.exit(3);
}

const options = (displayMode) => ({
  displayMode,
  output: 'htmlAndMathml',
  throwOnError: true,
  // "error" rejects ordinary notes TeX (accented letters in math mode), "warn" prints to stderr.
  strict: 'ignore',
  trust: false,
  // A note's math may not cover the page: sizes (\rule, \raisebox, \hspace…) are capped at 20em,
  // and macro expansion at 1000 steps.
  maxSize: 20,
  maxExpand: 1000,
});
const inlineOptions = options(false);
const displayOptions = options(true);

/** One reply frame as a Buffer. */
function frame(index, kind, text) {
  const payload = Buffer.from(text, 'utf8');
  return [Buffer.from(`${index} ${kind} ${payload.length}\n`, 'latin1'), payload];
}

/** Renders one request line into reply frames. */
function reply(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    process.stderr.write(`malformed request: ${line.slice(0, 200)}\n`);
    process.exit(4);
  }
  try {
    const html = katex.renderToString(String(request.t), request.d ? displayOptions : inlineOptions);
    return frame(request.i, 'html', html);
  } catch (error) {
    return frame(request.i, 'error', String((error && error.message) || error));
  }
}

process.stdout.write(Buffer.concat(frame(0, 'ready', String(katex.version))));

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop();
  const out = [];
  for (const line of lines) {
    if (line.length > 0) out.push(...reply(line));
  }
  if (out.length > 0) process.stdout.write(Buffer.concat(out));
});
process.stdin.on('end', () => {
  if (pending.length > 0) process.stdout.write(Buffer.concat(reply(pending)));
});
