// Preload for either bench server: times how long the server's synchronous handling of
// each sync update takes (from ws emitting 'message' to the listeners returning, which
// covers decoding, applying, committing and every send of the fan-out on both servers'
// immediate paths) and prints the steady phase's median and p90 to stderr on SIGTERM.
// Usage: npm run bench:sync -- --kinds stock,ours-process --sizes 10
//          --server-args=--import=./test/bench/sync/handle-probe.mjs
// The stock server brings its own ws (6.x), ours uses the project's (8.x): both are wrapped.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const stockDir = require.resolve('@y/websocket-server/package.json').replace(/package\.json$/, '');
const copies = new Set([require.resolve('ws'), createRequire(stockDir).resolve('ws')]);

/** [startedAt, durationMs] of every sync update handled. */
const handled = [];
for (const path of copies) {
  const WebSocket = require(path);
  const emit = WebSocket.prototype.emit;
  WebSocket.prototype.emit = function (event, ...args) {
    if (event !== 'message') return emit.call(this, event, ...args);
    const data = args[0] instanceof ArrayBuffer ? new Uint8Array(args[0]) : args[0];
    const startedAt = performance.now();
    const result = emit.call(this, event, ...args);
    if (data && data[0] === 0 && data[1] === 2) handled.push([startedAt, performance.now() - startedAt]);
    return result;
  };
}

process.on('SIGTERM', () => {
  // The bench's steady phase sends every 50 ms; its warm-up and rate phases much faster.
  const steady = handled.filter((entry, i) => i > 0 && entry[0] - handled[i - 1][0] > 30).map((entry) => entry[1]);
  steady.sort((a, b) => a - b);
  const at = (p) => (steady.length ? steady[Math.floor(steady.length * p)].toFixed(3) : 'n/a');
  process.stderr.write(`handle-probe: ${steady.length} steady updates, handling p50 ${at(0.5)} ms, p90 ${at(0.9)} ms\n`);
  // The stock server has no SIGTERM handler of its own; ours exits once closed.
  setTimeout(() => process.exit(0), 1500).unref();
});
