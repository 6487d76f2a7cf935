// Sync server benchmark: ours vs the stock @y/websocket-server@0.1.1, same workload,
// alternating runs in one script.
// Run: npm run bench:sync [-- --rounds 2 --sizes 10,50,200 --durability fsync,process]
// Profiling one server: --kinds ours-fsync --server-args=--cpu-prof,--cpu-prof-dir=/tmp/prof
// Each server's own time per update: --server-args=--import=./test/bench/sync/handle-probe.mjs
//
// Per room size N (one writer, N−1 receivers in one room) it prints:
//   fan-out latency p50/p99 at a steady 20 updates/s for 15 s (send → each receiver got
//   it; 300 updates, so p99 is about the 3rd-slowest update, not the slowest of 100),
//   measured after a 1 s warm-up at 100/s (unmeasured, same for both servers: a fresh
//   process runs its code cold, a server in use does not),
//   the highest update rate whose p99 stays under 100 ms (rates doubling from 50/s),
// and once: memory per room with 100 idle rooms (growth of live heap + external after a
// full GC, and of RSS, divided by 100; measured after 50 warm-up rooms of the same kind).
// Ours runs with auth (a signed token per client) and durable commits (SQLite, one
// commit per tick, broadcast only after the commit); the stock server has neither.
// Ours runs once per --durability setting: `fsync` (synchronous=FULL, the server's
// default: a commit survives power loss) and `process` (synchronous=NORMAL: survives
// a crash of the server process, not of the OS).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { boardDocName } from '../../../shared/docs';
import { newId } from '../../../shared/ids';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const require = createRequire(import.meta.url);

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    sizes: { type: 'string', default: '10,50,200' },
    'rate-seconds': { type: 'string', default: '3' },
    /** Length of the steady 20/s phase the latencies come from (5 until 22 Nov 2026). */
    'steady-seconds': { type: 'string', default: '15' },
    durability: { type: 'string', default: 'fsync,process' },
    /** Only these servers (e.g. `ours-fsync`), for profiling; the ratios need `stock`. */
    kinds: { type: 'string' },
    /** Extra node flags for the server processes, comma-separated. */
    'server-args': { type: 'string', default: '' },
  },
});
const ROUNDS = Number(values.rounds);
// `--sizes none`: only the memory measurement.
const SIZES = values.sizes!.split(',').filter((size) => /^\d+$/.test(size)).map(Number);
const RATE_SECONDS = Number(values['rate-seconds']);
const STEADY_RATE = 20;
const STEADY_SECONDS = Number(values['steady-seconds']);
const WARMUP_RATE = 100;
const WARMUP_SECONDS = 1;
const RATES = [50, 100, 200, 400, 800, 1600, 3200, 6400];
const P99_LIMIT_MS = 100;
const IDLE_ROOMS = 100;
const WARM_ROOMS = 50;
const DURABILITIES = values.durability!.split(',').map((value) => {
  if (value !== 'fsync' && value !== 'process') throw new Error(`--durability takes fsync and/or process, not ${value}`);
  return value;
});

type Durability = (typeof DURABILITIES)[number];
type Kind = 'stock' | `ours-${Durability}`;
const SERVER_ARGS = values['server-args']!.split(',').filter(Boolean);

interface RunningServer {
  kind: Kind;
  /** ws URL of a room, with whatever auth the server needs. */
  roomUrl(room: string): string;
  /** A fresh room name valid on this server. */
  newRoom(): string;
  /** Live memory after a full GC (heap + external), and RSS. */
  memory(): Promise<{ live: number; rss: number }>;
  stop(): Promise<void>;
}

/** A port nobody listens on right now: the OS picks it, the stock server then takes it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = pattern.exec(buffered);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${buffered}`)));
  });
}

const probe = join(repoRoot, 'test/bench/sync/memory-probe.ts');

async function memoryOf(child: ChildProcess): Promise<{ live: number; rss: number }> {
  const line = waitForLine(child, /^MEM .*$/m);
  child.stdin!.write('mem\n');
  const { heapUsed, external, rss } = JSON.parse((await line).slice(4)) as { heapUsed: number; external: number; rss: number };
  return { live: heapUsed + external, rss };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

async function startStock(): Promise<RunningServer> {
  const port = await freePort();
  const entry = join(dirname(require.resolve('@y/websocket-server/package.json')), 'src/server.js');
  const child = spawn(process.execPath, [...SERVER_ARGS, '--expose-gc', '--import', 'tsx', '--import', probe, entry], {
    cwd: repoRoot,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await waitForLine(child, /running at/);
  return {
    kind: 'stock',
    roomUrl: (room) => `ws://127.0.0.1:${port}/${room}`,
    newRoom: () => `bench-${newId()}`,
    memory: () => memoryOf(child),
    stop: () => stopChild(child),
  };
}

async function startOurs(durability: Durability): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratboard-bench-sync-'));
  const entry = join(repoRoot, 'test/bench/sync/ours-server.ts');
  const child = spawn(process.execPath, [...SERVER_ARGS, '--expose-gc', '--import', 'tsx', '--import', probe, entry, dataDir, durability], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await waitForLine(child, /^READY .*$/m);
  const { url, workspaceId, token } = JSON.parse(line.slice('READY '.length)) as { url: string; workspaceId: string; token: string };
  const wsBase = url.replace(/^http/, 'ws');
  return {
    kind: `ours-${durability}`,
    roomUrl: (room) => `${wsBase}/sync/${room}?token=${token}`,
    newRoom: () => `${workspaceId}/${boardDocName(newId())}`,
    memory: () => memoryOf(child),
    stop: async () => {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---- clients: raw y-websocket protocol, cheap enough to run 200 in one process ----

const MARKER = Buffer.from('k:');

function encodeUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

function encodeStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/**
 * Calls `onSeq` with each sequence number a writer put in a key `k:<seq>;` of this
 * message. A server may deliver several updates merged into one message.
 */
function forEachMarker(data: Buffer, onSeq: (seq: number) => void): void {
  // Only sync messages (0) carrying an update (2) or step 2 (1).
  if (data[0] !== 0 || (data[1] !== 2 && data[1] !== 1)) return;
  for (let at = data.indexOf(MARKER); at >= 0; at = data.indexOf(MARKER, at + 2)) {
    let seq = 0;
    for (let i = at + 2; i < data.length; i++) {
      const c = data[i]!;
      if (c === 59) {
        // ';'
        if (i > at + 2) onSeq(seq);
        break;
      }
      if (c < 48 || c > 57) break;
      seq = seq * 10 + (c - 48);
    }
  }
}

interface Client {
  socket: WebSocket;
  /** Resolves once the server's first message arrived: the room is loaded for us. */
  ready: Promise<void>;
}

function connect(url: string, onSeq?: (seq: number) => void): Client {
  const socket = new WebSocket(url);
  socket.binaryType = 'nodebuffer';
  const ready = new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode} for ${url}`)));
  });
  socket.on('open', () => socket.send(encodeStep1(new Y.Doc())));
  if (onSeq) {
    socket.on('message', (data: Buffer) => forEachMarker(data, onSeq));
  }
  return { socket, ready };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface PhaseResult {
  p50: number;
  p99: number;
  delivered: number;
  expected: number;
}

/** One room of `size` clients: a writer sending `rate` updates/s for `seconds`. */
async function roomPhases(server: RunningServer, size: number): Promise<{ steady: PhaseResult; maxRate: number; rates: string[] }> {
  const room = server.newRoom();
  const url = server.roomUrl(room);
  let sentAt: number[] = [];
  let latencies: number[] = [];
  const receivers: Client[] = [];
  for (let i = 0; i < size - 1; i++) {
    receivers.push(
      connect(url, (seq) => {
        const t0 = sentAt[seq];
        if (t0 !== undefined) latencies.push(performance.now() - t0);
      }),
    );
  }
  const writer = connect(url);
  await Promise.all([writer.ready, ...receivers.map((r) => r.ready)]);
  const doc = new Y.Doc();
  const map = doc.getMap('bench');
  doc.on('update', (update: Uint8Array) => writer.socket.send(encodeUpdateMessage(update)));
  let seqBase = 0;

  async function phase(rate: number, seconds: number): Promise<PhaseResult> {
    sentAt = [];
    latencies = [];
    const total = Math.round(rate * seconds);
    const base = seqBase;
    seqBase += total;
    // Sequence numbers are global so late messages of an earlier phase are ignored.
    sentAt = new Array<number>(seqBase);
    const tickMs = 10;
    const perTick = rate / (1000 / tickMs);
    let sent = 0;
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - started) / tickMs + 1) * perTick));
        while (sent < due) {
          const seq = base + sent;
          sentAt[seq] = performance.now();
          map.set(`k:${seq};`, sent);
          sent++;
        }
        if (sent >= total) {
          clearInterval(timer);
          resolve();
        }
      }, tickMs);
    });
    const expected = total * receivers.length;
    const deadline = performance.now() + 3000;
    while (latencies.length < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const sorted = [...latencies].sort((a, b) => a - b);
    const lost = expected - sorted.length;
    // Undelivered messages count as infinitely late.
    for (let i = 0; i < lost; i++) sorted.push(Infinity);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), delivered: latencies.length, expected };
  }

  await phase(WARMUP_RATE, WARMUP_SECONDS);
  const steady = await phase(STEADY_RATE, STEADY_SECONDS);
  let maxRate = 0;
  const rates: string[] = [];
  for (const rate of RATES) {
    const result = await phase(rate, RATE_SECONDS);
    rates.push(`${rate}/s p99 ${fmt(result.p99)}`);
    if (result.p99 < P99_LIMIT_MS) maxRate = rate;
    else break;
  }
  for (const client of [writer, ...receivers]) client.socket.terminate();
  return { steady, maxRate, rates };
}

/** A room with one connected client that wrote a small board (30 notes) and went idle. */
async function openIdleRoom(server: RunningServer): Promise<Client> {
  const client = connect(server.roomUrl(server.newRoom()));
  await client.ready;
  const doc = new Y.Doc();
  doc.on('update', (update: Uint8Array) => client.socket.send(encodeUpdateMessage(update)));
  const notes = doc.getMap('notes');
  for (let n = 0; n < 30; n++) notes.set(`n${n}`, { text: `Идея номер ${n} для района`, x: n * 10, y: n * 7 });
  return client;
}

async function idleRoomsMemory(server: RunningServer): Promise<{ live: number; rss: number }> {
  // Warm-up: a few rooms with the same workload, so both servers' fixed costs (code
  // compiled for these paths, caches) are paid before the baseline, not spread over rooms.
  const clients: Client[] = [];
  for (let i = 0; i < WARM_ROOMS; i++) clients.push(await openIdleRoom(server));
  await new Promise((r) => setTimeout(r, 1500));
  const before = await server.memory();
  for (let i = 0; i < IDLE_ROOMS; i++) clients.push(await openIdleRoom(server));
  await new Promise((r) => setTimeout(r, 3000));
  const after = await server.memory();
  for (const client of clients) client.socket.terminate();
  return { live: (after.live - before.live) / IDLE_ROOMS, rss: (after.rss - before.rss) / IDLE_ROOMS };
}

function fmt(ms: number): string {
  return Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : 'lost';
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function start(kind: Kind): Promise<RunningServer> {
  return kind === 'stock' ? startStock() : startOurs(kind.slice('ours-'.length) as Durability);
}

async function main() {
  const ours = DURABILITIES.map((durability) => `ours-${durability}` as const);
  const kinds: Kind[] = values.kinds ? (values.kinds.split(',') as Kind[]) : ['stock', ...ours];
  console.log(`Sync bench: ${ROUNDS} round(s), alternating ${kinds.join('/')}, room sizes ${SIZES.join(', ')}`);
  const results = {} as Record<Kind, Record<number, { p50: number[]; p99: number[]; rate: number[] }>>;
  const memory = {} as Record<Kind, { live: number[]; rss: number[] }>;
  for (const kind of kinds) {
    results[kind] = {};
    memory[kind] = { live: [], rss: [] };
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
      for (const size of SIZES) {
        const server = await start(kind);
        const { steady, maxRate, rates } = await roomPhases(server, size);
        await server.stop();
        const entry = (results[kind][size] ??= { p50: [], p99: [], rate: [] });
        entry.p50.push(steady.p50);
        entry.p99.push(steady.p99);
        entry.rate.push(maxRate);
        console.log(
          `  round ${round + 1} ${kind.padEnd(12)} N=${String(size).padEnd(3)} p50 ${fmt(steady.p50)}  p99 ${fmt(steady.p99)}  ` +
            `delivered ${steady.delivered}/${steady.expected}  max rate ${maxRate}/s  [${rates.join(', ')}]`,
        );
      }
      const server = await start(kind);
      const perRoom = await idleRoomsMemory(server);
      await server.stop();
      memory[kind].live.push(perRoom.live);
      memory[kind].rss.push(perRoom.rss);
      console.log(
        `  round ${round + 1} ${kind.padEnd(12)} memory per idle room: live ${kib(perRoom.live)} (heap+external after GC), RSS ${kib(perRoom.rss)}`,
      );
    }
  }
  if (!kinds.includes('stock')) return;
  for (const kind of ours.filter((kind) => kinds.includes(kind))) {
    console.log(`\nMedians, ${kind} vs stock (ours/stock: ≤ 1.0 is better for latency and memory, ≥ 1.0 for rate)`);
    console.log('N    | p50 stock | p50 ours | ratio | p99 stock | p99 ours | ratio | rate stock | rate ours | ratio');
    for (const size of SIZES) {
      const s = results.stock[size]!;
      const o = results[kind][size]!;
      const [sp50, op50, sp99, op99, sr, or] = [median(s.p50), median(o.p50), median(s.p99), median(o.p99), median(s.rate), median(o.rate)];
      console.log(
        `${String(size).padEnd(4)} | ${fmt(sp50).padStart(9)} | ${fmt(op50).padStart(8)} | ${(op50 / sp50).toFixed(2).padStart(5)} | ` +
          `${fmt(sp99).padStart(9)} | ${fmt(op99).padStart(8)} | ${(op99 / sp99).toFixed(2).padStart(5)} | ` +
          `${String(sr).padStart(8)}/s | ${String(or).padStart(7)}/s | ${(or / sr).toFixed(2)}`,
      );
    }
    // The ratio of medians hides how much one round differs from the next (a fresh
    // server process per run on a shared VM): each round's own ratios show that spread.
    if (ROUNDS > 1) {
      for (const size of SIZES) {
        const s = results.stock[size]!;
        const o = results[kind][size]!;
        const byRound = (key: 'p50' | 'p99') => o[key].map((value, round) => (value / s[key][round]!).toFixed(2)).join(' ');
        console.log(`N=${size} ratio per round: p50 ${byRound('p50')}; p99 ${byRound('p99')}`);
      }
    }
    const [sl, ol] = [median(memory.stock.live), median(memory[kind].live)];
    const [sr, or] = [median(memory.stock.rss), median(memory[kind].rss)];
    console.log(`memory per idle room, live: stock ${kib(sl)}, ours ${kib(ol)}, ratio ${(ol / sl).toFixed(2)}`);
    console.log(`memory per idle room, RSS (noisy): stock ${kib(sr)}, ours ${kib(or)}, ratio ${(or / sr).toFixed(2)}`);
  }
}

await main();
