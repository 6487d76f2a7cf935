// Document store benchmark: node --import tsx test/bench/store.ts
// Appends with grouped vs single-row commits, load time of a 100,000-update doc
// before and after compaction, and file sizes.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { boardDocName } from '../../shared/docs';
import { newId } from '../../shared/ids';
import { WorkspaceFile } from '../../shared/node/store';

const LOAD_UPDATES = 100_000;
const GROUPED_UPDATES = 100_000;
const SINGLE_ROW_UPDATES = 2_000;

const dir = mkdtempSync(join(tmpdir(), 'stratboard-bench-'));
const board = boardDocName(newId());

/** Small updates as a board produces them: typing into a note and moving cards around. */
function boardEdits(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const note = doc.getText('note');
  const cards = doc.getMap('cards');
  for (let i = 0; updates.length < count; i++) {
    if (i % 10 < 7) note.insert(note.length, String.fromCharCode(97 + (i % 26)));
    else cards.set(`card${i % 500}`, { x: i % 1000, y: (i * 7) % 800 });
  }
  return updates;
}

function newWorkspace(name: string): WorkspaceFile {
  return WorkspaceFile.create(join(dir, `${name}.stratboard`), { workspaceId: newId(), name }, { autoCompactAfter: Infinity });
}

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);
const fmt = (n: number) => n.toLocaleString('en-US');
const ms = (value: number) => `${value.toFixed(1)} ms`;
const size = (path: string) => `${(statSync(path).size / 1024).toFixed(0)} KiB`;

async function appendGrouped(file: WorkspaceFile, updates: Uint8Array[], perTick: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < updates.length; i += perTick) {
    const saves = updates.slice(i, i + perTick).map((update) => file.appendUpdate(board, update));
    await Promise.all(saves);
  }
  return performance.now() - start;
}

async function appendSingleRow(file: WorkspaceFile, updates: Uint8Array[]): Promise<number> {
  const start = performance.now();
  for (const update of updates) await file.appendUpdate(board, update);
  return performance.now() - start;
}

function timedOpenAndLoad(path: string): { file: WorkspaceFile; openMs: number; loadMs: number; doc: Y.Doc } {
  const start = performance.now();
  const file = WorkspaceFile.open(path, { autoCompactAfter: Infinity });
  const opened = performance.now();
  const doc = new Y.Doc();
  file.loadDoc(board, doc);
  return { file, openMs: opened - start, loadMs: performance.now() - opened, doc };
}

async function main(): Promise<void> {
  console.log(`Stratboard document store benchmark (node ${process.version}, ${process.platform})\n`);
  const updates = boardEdits(Math.max(LOAD_UPDATES, GROUPED_UPDATES));
  const avgBytes = updates.reduce((sum, update) => sum + update.length, 0) / updates.length;
  console.log(`Updates: ${fmt(updates.length)} small board edits, ${avgBytes.toFixed(1)} bytes on average\n`);

  console.log('Appends (synchronous=FULL, each commit durable)');
  const single = newWorkspace('single');
  const singleMs = await appendSingleRow(single, updates.slice(0, SINGLE_ROW_UPDATES));
  await single.close();
  const singleRate = perSecond(SINGLE_ROW_UPDATES, singleMs);
  console.log(`  single-row commits:           ${fmt(singleRate).padStart(9)} appends/s  (${fmt(SINGLE_ROW_UPDATES)} appends, one await each)`);

  for (const perTick of [100, 1000]) {
    const grouped = newWorkspace(`grouped-${perTick}`);
    const groupedMs = await appendGrouped(grouped, updates.slice(0, GROUPED_UPDATES), perTick);
    const commits = grouped.commitCount;
    await grouped.close();
    const rate = perSecond(GROUPED_UPDATES, groupedMs);
    console.log(
      `  grouped, ${String(perTick).padStart(4)} appends per tick: ${fmt(rate).padStart(9)} appends/s  (${fmt(GROUPED_UPDATES)} appends in ${fmt(commits)} commits; ${(rate / singleRate).toFixed(1)}x single-row)`,
    );
  }

  console.log(`\nLoad of one doc with ${fmt(LOAD_UPDATES)} updates`);
  const loadPath = join(dir, 'load.stratboard');
  const writer = newWorkspace('load');
  await appendGrouped(writer, updates.slice(0, LOAD_UPDATES), 1000);
  await writer.close();
  const expected = new Y.Doc();
  for (const update of updates.slice(0, LOAD_UPDATES)) Y.applyUpdate(expected, update);
  console.log(`  file size before compaction:  ${size(loadPath)}`);

  const before = timedOpenAndLoad(loadPath);
  check(before.doc, expected, 'before compaction');
  console.log(`  before compaction: open ${ms(before.openMs)} + loadDoc ${ms(before.loadMs)} = ${ms(before.openMs + before.loadMs)}`);

  const compactStart = performance.now();
  before.file.compact(board);
  const compactMs = performance.now() - compactStart;
  await before.file.close();
  console.log(`  compact():                    ${ms(compactMs)}`);
  console.log(`  file size after compaction:   ${size(loadPath)}`);

  const after = timedOpenAndLoad(loadPath);
  check(after.doc, expected, 'after compaction');
  console.log(`  after compaction:  open ${ms(after.openMs)} + loadDoc ${ms(after.loadMs)} = ${ms(after.openMs + after.loadMs)}`);
  const encodeStart = performance.now();
  const state = after.file.encodeDocState(board);
  console.log(`  encodeDocState after compaction: ${ms(performance.now() - encodeStart)} (${fmt(state.length)} bytes)`);
  await after.file.close();
}

function check(actual: Y.Doc, expected: Y.Doc, when: string): void {
  const same =
    actual.getText('note').toString() === expected.getText('note').toString() &&
    JSON.stringify(actual.getMap('cards').toJSON()) === JSON.stringify(expected.getMap('cards').toJSON());
  if (!same) throw new Error(`loaded doc differs from the written one (${when})`);
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
