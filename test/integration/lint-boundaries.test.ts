import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rule: what runs in a browser (renderer/, pure shared/) never imports
// electron or Node built-ins; nothing but electron/ imports electron.
const eslint = new ESLint({ cwd: resolve(import.meta.dirname, '../..') });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['renderer/features/x.ts', "import { ipcRenderer } from 'electron';"],
    ['renderer/features/x.tsx', "import { readFileSync } from 'node:fs';"],
    ['renderer/features/x.ts', "import path from 'path';"],
    ['renderer/features/x.ts', "import { WorkspaceFile } from '../../shared/node/store';"],
    ['renderer/features/x.ts', "import { registerIpcHandlers } from '../../electron/main/ipc';"],
    ['shared/model/x.ts', "import { app } from 'electron';"],
    ['shared/model/x.ts', "import { createHash } from 'node:crypto';"],
    ['shared/model/x.ts', "import Database from 'better-sqlite3';"],
    ['shared/model/x.ts', "import { WorkspaceFile } from '../node/store';"],
    ['sync-server/src/x.ts', "import { app } from 'electron';"],
  ])('refuses %s importing %s', async (file, code) => {
    expect(await boundaryErrors(file, `${code}\nexport {};\n`)).not.toEqual([]);
  });

  it.each([
    ['renderer/features/x.ts', "import * as Y from 'yjs';\nimport { newId } from '../../shared/ids';"],
    ['shared/model/x.ts', "import { z } from 'zod';"],
    ['shared/node/store/x.ts', "import { readFileSync } from 'node:fs';"],
    ['electron/main/x.ts', "import { app } from 'electron';\nimport { join } from 'node:path';"],
    ['sync-server/src/x.ts', "import { createServer } from 'node:http';"],
  ])('allows %s importing what its layer may use', async (file, code) => {
    expect(await boundaryErrors(file, `${code}\nexport {};\n`)).toEqual([]);
  });
});
