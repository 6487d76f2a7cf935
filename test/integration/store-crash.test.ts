import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardDocName, INDEX_DOC } from '../../shared/docs';
import { newId } from '../../shared/ids';
import { WorkspaceFile } from '../../shared/node/store';

const writer = fileURLToPath(new URL('./fixtures/store-crash-writer.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const runs = 50;
const parallel = 5;
const dir = mkdtempSync(join(tmpdir(), 'stratboard-crash-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface CrashRun {
  path: string;
  boardDoc: string;
  killDelayMs: number;
  /** Highest N the child reported as saved before it was killed. */
  reportedSaved: number;
}

/** Starts a writer on a fresh workspace and SIGKILLs it killDelayMs after its first saved update. */
async function crashWriter(index: number, killDelayMs: number): Promise<CrashRun> {
  const path = join(dir, `crash-${index}.stratboard`);
  const boardDoc = boardDocName(newId());
  await WorkspaceFile.create(path, { workspaceId: newId(), name: `crash ${index}` }).close();

  const child = spawn(process.execPath, ['--import', 'tsx', writer, path, boardDoc], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let reportedSaved = 0;
  let killTimer: NodeJS.Timeout | undefined;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = stdout.split('\n');
    stdout = lines.pop()!;
    for (const line of lines) {
      const saved = /^saved (\d+)$/.exec(line);
      if (saved) {
        reportedSaved = Number(saved[1]);
        // Timed from the first save, not from start-up: on a loaded machine a writer can
        // take longer than the delay just to reach its first commit.
        killTimer ??= setTimeout(() => child.kill('SIGKILL'), killDelayMs);
      }
    }
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  clearTimeout(killTimer);
  if (signal !== 'SIGKILL') throw new Error(`writer ${index} exited on its own:\n${stderr}`);
  return { path, boardDoc, killDelayMs, reportedSaved };
}

function savedKeys(file: WorkspaceFile, docName: string): Set<string> {
  const doc = new Y.Doc();
  file.loadDoc(docName, doc);
  return new Set(doc.getMap('saved').keys());
}

describe('workspace file after a crash', () => {
  it(
    'opens after the writing process is killed and holds every update reported saved',
    async () => {
      const results: CrashRun[] = [];
      for (let start = 0; start < runs; start += parallel) {
        const group = Array.from({ length: Math.min(parallel, runs - start) }, (_, i) =>
          crashWriter(start + i, 5 + Math.floor(Math.random() * 146)),
        );
        results.push(...(await Promise.all(group)));
      }

      for (const run of results) {
        const file = WorkspaceFile.open(run.path);
        const index = savedKeys(file, INDEX_DOC);
        const board = savedKeys(file, run.boardDoc);
        const missing: number[] = [];
        for (let n = 1; n <= run.reportedSaved; n++) {
          if (!(n % 3 === 0 ? board : index).has(`u${n}`)) missing.push(n);
        }
        expect(missing, `${run.path}, killed ${run.killDelayMs} ms in, ${run.reportedSaved} reported saved`).toEqual([]);
        await file.close();
        expect(readdirSync(dir).filter((name) => name.startsWith(`${basename(run.path)}-`))).toEqual([]);
      }
      // Guards against a vacuous pass where every writer died before saving anything.
      expect(results.filter((run) => run.reportedSaved > 0).length).toBeGreaterThan(runs / 2);
    },
    // 50 writers each start a tsx process: minutes on a busy 2-core machine.
    300_000,
  );
});
