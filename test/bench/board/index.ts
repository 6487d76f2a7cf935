// Board canvas benchmark: npm run bench:board [-- --sizes 2000,10000 --frames 50 --trace <dir> --cpu-profile <dir> --screenshots <dir> --no-build]
// Builds the browser edition with render counting on (VITE_STRATBOARD_INSTRUMENT=1),
// serves it with the sync server, seeds a board in Chromium and prints, per size:
// time to first render, frame time p50/p95 while panning and zooming (rAF timestamps
// in the page), time to drag one sticky across the board, and how many node
// components rendered during that drag. --trace writes a Chrome trace of the pan/zoom per
// size (open it in chrome://tracing or Perfetto), --cpu-profile a V8 CPU profile of it
// (DevTools → Performance → load); --screenshots saves the board zoomed out and, after a
// double-click on the dragged sticky, zoomed in; --no-build reuses out/web-bench.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { seedBoard, type SeedPlan } from './seed';

const root = join(import.meta.dirname, '../../..');
const port = Number(process.env.STRATBOARD_BENCH_PORT ?? 8850);
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? args[at + 1]! : fallback;
};
const sizes = option('sizes', '2000,10000').split(',').map(Number);
const frames = Number(option('frames', '50'));
const traceDir = option('trace', '');
const profileDir = option('cpu-profile', '');
const screenshotDir = option('screenshots', '');
const build = !args.includes('--no-build');
const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function startServer(dataDir: string): Promise<ChildProcess> {
  const stale = await fetch(`http://127.0.0.1:${port}/healthz`).then(
    () => true,
    () => false,
  );
  if (stale) throw new Error(`port ${port} is taken; set STRATBOARD_BENCH_PORT`);
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', 'sync-server/main.ts', '--host', '127.0.0.1', '--port', String(port), '--data', dataDir, '--static', 'out/web-bench'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  for (let i = 0; i < 120; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  server.kill('SIGKILL');
  throw new Error('sync server did not start');
}

async function createWorkspace(browser: Browser, name: string): Promise<{ page: Page; url: string }> {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 820 }, locale: 'ru-RU' })).newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByTestId('workspace-name-input').fill(name);
  await page.getByTestId('create-workspace').click();
  await page.getByTestId('board-canvas').waitFor();
  await page.waitForFunction(() => 'location' in window && Boolean((window as unknown as { __stratboardBoard?: unknown }).__stratboardBoard));
  return { page, url: page.url() };
}

/** Opens the board in a fresh context and waits until every node is in its doc. */
async function openBoard(browser: Browser, url: string, nodeCount: number): Promise<{ page: Page; firstRender: number; allRendered: number }> {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 820 }, locale: 'ru-RU' })).newPage();
  await page.goto(url);
  // first sticky on screen (a DOM node, or drawn by the overview canvas), timed from the navigation start of the page
  await page.waitForFunction(
    () => document.querySelector('.react-flow__node-sticky [data-testid="sticky"]') !== null || Number(document.querySelector('[data-testid="board-overview"]')?.getAttribute('data-stickies') ?? 0) > 0,
    null,
    { polling: 'raf', timeout: 180_000 },
  );
  const firstRender = await page.evaluate(() => performance.now());
  await page.waitForFunction(
    (count) => (window as unknown as { __stratboardBoard?: { nodes: { size: number } } }).__stratboardBoard?.nodes.size === count,
    nodeCount,
    { timeout: 180_000 },
  );
  const allRendered = await page.evaluate(() => performance.now());
  return { page, firstRender, allRendered };
}

/** Frame intervals from requestAnimationFrame timestamps while `drive` runs. */
async function frameTimes(page: Page, drive: () => Promise<void>): Promise<{ p50: number; p95: number; max: number; frames: number; slow: number }> {
  // A string, not a function: tsx would wrap the inner named callback in a helper the page lacks.
  await page.evaluate(`(() => {
    // one rAF chain per recording: an earlier chain must not log into this one
    const run = (window.__frameRun = (window.__frameRun ?? 0) + 1);
    window.__frames = [];
    window.__recording = true;
    const tick = (time) => {
      if (window.__frameRun !== run || !window.__recording) return;
      window.__frames.push(time);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await drive();
  const stamps = await page.evaluate(() => {
    const host = window as unknown as { __frames: number[]; __recording: boolean };
    host.__recording = false;
    return host.__frames;
  });
  const intervals = stamps.slice(1).map((time, i) => time - stamps[i]!).sort((a, b) => a - b);
  const slow = intervals.filter((interval) => interval > 20).length;
  return { p50: percentile(intervals, 50), p95: percentile(intervals, 95), max: intervals.at(-1) ?? NaN, frames: intervals.length, slow };
}

async function panAndZoom(page: Page): Promise<void> {
  const { cx, cy } = await pan(page);
  // zoom in and out around the centre with the wheel
  await page.mouse.move(cx, cy);
  for (let i = 0; i < 25; i++) {
    await page.mouse.wheel(0, -120);
    await page.waitForTimeout(16);
  }
  for (let i = 0; i < 25; i++) {
    await page.mouse.wheel(0, 120);
    await page.waitForTimeout(16);
  }
}

/** Pans with the middle button (the left button draws a selection box); returns the canvas centre. */
async function pan(page: Page): Promise<{ cx: number; cy: number }> {
  const canvas = (await page.getByTestId('board-canvas').boundingBox())!;
  const cx = canvas.x + canvas.width / 2;
  const cy = canvas.y + canvas.height / 2;
  await page.mouse.move(cx - 300, cy);
  await page.mouse.down({ button: 'middle' });
  await page.mouse.move(cx + 300, cy + 150, { steps: 60 });
  await page.mouse.move(cx - 200, cy - 150, { steps: 60 });
  await page.mouse.up({ button: 'middle' });
  return { cx, cy };
}

const viewZoom = (page: Page): Promise<number> =>
  page.evaluate(() => new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).m11);

/** Wheels in at the centre until the board is at reading size (zoom ≥ 1), where stickies are DOM nodes. */
async function zoomToReading(page: Page): Promise<number> {
  const canvas = (await page.getByTestId('board-canvas').boundingBox())!;
  await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
  for (let i = 0; i < 80 && (await viewZoom(page)) < 1; i++) {
    await page.mouse.wheel(0, -120);
    await page.waitForTimeout(30);
  }
  return viewZoom(page);
}

/** Drags one sticky across the visible board; returns the time until the move is in the doc and the render counts. */
async function dragOneSticky(page: Page): Promise<{ dragMs: number; renderedNodes: number; draggedRenders: number; others: number; dropped: { x: number; y: number } }> {
  const canvas = (await page.getByTestId('board-canvas').boundingBox())!;
  // A sticky near the left middle of the view, dragged to the right edge. Picked from the
  // records and the view transform: zoomed out, stickies are drawn on a canvas, not in the DOM.
  const target = await page.evaluate((box) => {
    const board = (window as unknown as { __stratboardBoard: { nodes: { list(): Array<{ id: string; type: string; x: number; y: number; width: number; height: number }> } } }).__stratboardBoard;
    const { m11: zoom, m41: tx, m42: ty } = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
    const pane = document.querySelector('.react-flow__pane')!.getBoundingClientRect();
    let best: { id: string; x: number; y: number } | null = null;
    const aimX = box.x + box.width * 0.25;
    const aimY = box.y + box.height / 2;
    for (const node of board.nodes.list()) {
      if (node.type !== 'sticky') continue;
      const x = pane.left + tx + (node.x + node.width / 2) * zoom;
      const y = pane.top + ty + (node.y + node.height / 2) * zoom;
      if (x < box.x + 60 || y < box.y + 140 || y > box.y + box.height - 60) continue;
      if (!best || Math.abs(x - aimX) + Math.abs(y - aimY) < Math.abs(best.x - aimX) + Math.abs(best.y - aimY)) best = { id: node.id, x, y };
    }
    return best;
  }, canvas);
  if (!target) throw new Error('no sticky on screen to drag');
  const before = await page.evaluate((id) => {
    const host = window as unknown as { __stratboardRenders?: { byId: Record<string, number>; total: number }; __stratboardBoard: { nodes: { get(id: string): { x: number } | undefined } } };
    host.__stratboardRenders = { byId: {}, total: 0 };
    return host.__stratboardBoard.nodes.get(id)!.x;
  }, target.id);
  const start = Date.now();
  await page.mouse.move(target.x, target.y);
  await page.mouse.down();
  const dropped = { x: canvas.x + canvas.width * 0.8, y: target.y + 40 };
  await page.mouse.move(dropped.x, dropped.y, { steps: 40 });
  await page.mouse.up();
  await page.waitForFunction(
    ({ id, x }) => (window as unknown as { __stratboardBoard: { nodes: { get(id: string): { x: number } | undefined } } }).__stratboardBoard.nodes.get(id)!.x !== x,
    { id: target.id, x: before },
  );
  const dragMs = Date.now() - start;
  const counts = await page.evaluate(() => (window as unknown as { __stratboardRenders: { byId: Record<string, number> } }).__stratboardRenders.byId);
  const rendered = Object.keys(counts);
  return {
    dragMs,
    renderedNodes: rendered.length,
    draggedRenders: counts[target.id] ?? 0,
    others: rendered.filter((id) => id !== target.id).length,
    dropped,
  };
}

async function benchOne(browser: Browser, stickies: number): Promise<void> {
  const plan: SeedPlan = { stickies, frames: Math.min(frames, Math.ceil(stickies / 40)) };
  const { page: seeder, url } = await createWorkspace(browser, `Бенчмарк ${stickies}`);
  const seedStart = Date.now();
  const nodeCount = await seeder.evaluate(seedBoard, plan);
  // a first reader proves the server holds the whole board before anything is timed
  const probe = await openBoard(browser, url, nodeCount);
  await probe.page.context().close();
  const seedMs = Date.now() - seedStart;
  await seeder.context().close();

  const { page, firstRender, allRendered } = await openBoard(browser, url, nodeCount);
  await page.waitForTimeout(300);
  const domNodes = await page.locator('.react-flow__node').count();
  await page.waitForTimeout(500);
  const idle = await frameTimes(page, () => page.waitForTimeout(1000));
  if (traceDir) await browser.startTracing(page, { path: join(traceDir, `board-${stickies}.json`), screenshots: false, categories: traceCategories });
  const cdp = profileDir ? await page.context().newCDPSession(page) : null;
  if (cdp) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
  const moving = await frameTimes(page, () => panAndZoom(page));
  if (traceDir) await browser.stopTracing();
  if (cdp) writeFileSync(join(profileDir, `board-${stickies}.cpuprofile`), JSON.stringify((await cdp.send('Profiler.stop')).profile));
  // the same pan at reading size, where the stickies in view are DOM nodes: zoomed in at the
  // centre of the whole board (after the pan and zoom above the view may be off the board)
  await page.getByTestId('fit-view').click();
  await page.waitForTimeout(600);
  const readingZoom = await zoomToReading(page);
  await page.waitForTimeout(800);
  const readingDomNodes = await page.locator('.react-flow__node').count();
  if (screenshotDir) await page.screenshot({ path: join(screenshotDir, `board-${stickies}-reading.png`) });
  const reading = await frameTimes(page, () => pan(page).then(() => undefined));
  await page.getByTestId('fit-view').click();
  await page.waitForTimeout(600);
  if (screenshotDir) await page.screenshot({ path: join(screenshotDir, `board-${stickies}-far.png`) });
  const drag = await dragOneSticky(page);
  if (screenshotDir) {
    await page.mouse.dblclick(drag.dropped.x, drag.dropped.y);
    await page.waitForTimeout(1200);
    await page.screenshot({ path: join(screenshotDir, `board-${stickies}-near.png`) });
  }
  await page.context().close();

  console.log(`\n## ${stickies} stickies, ${plan.frames} frames (${nodeCount} nodes; seeded and synced in ${(seedMs / 1000).toFixed(1)} s)`);
  console.log(`time to first render:          ${ms(firstRender)} (whole board in the doc at ${ms(allRendered)}; ${domNodes} node elements in the DOM after open)`);
  console.log(`frame time idle:               p50 ${ms(idle.p50)}, p95 ${ms(idle.p95)} (${idle.frames} frames)`);
  console.log(`frame time panning + zooming:  p50 ${ms(moving.p50)}, p95 ${ms(moving.p95)}, max ${ms(moving.max)} (${moving.frames} frames, ${moving.slow} over 20 ms)`);
  console.log(`frame time panning at ${Math.round(readingZoom * 100)} %:  p50 ${ms(reading.p50)}, p95 ${ms(reading.p95)}, max ${ms(reading.max)} (${reading.frames} frames, ${reading.slow} over 20 ms; ${readingDomNodes} node elements in the DOM)`);
  console.log(`drag one sticky across:        ${drag.dragMs} ms until the move is in the doc`);
  console.log(`node components rendered during the drag: ${drag.renderedNodes} (the dragged sticky ${drag.draggedRenders} times, other nodes: ${drag.others})`);
}

const traceCategories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'v8.execute', 'toplevel'];

async function main(): Promise<void> {
  if (build) console.log('building the instrumented browser edition into out/web-bench …');
  if (build) execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.web.config.ts', '--outDir', '../out/web-bench', '--logLevel', 'error'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, VITE_STRATBOARD_INSTRUMENT: '1' },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'stratboard-bench-board-'));
  const server = await startServer(dataDir);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: launchArgs });
  try {
    console.log(`Chromium ${browser.version()}, viewport 1366×820, ${launchArgs.join(' ')}`);
    for (const size of sizes) await benchOne(browser, size);
  } finally {
    await browser.close();
    // SIGKILL: the server's graceful shutdown waits for clients, and a bench must not leave it behind
    server.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
