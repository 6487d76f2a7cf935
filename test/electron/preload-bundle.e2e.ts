import { readFileSync } from 'node:fs';
import { createContext, runInContext } from 'node:vm';
import { expect, test } from '@playwright/test';
import { ipcContract, ipcMethods, bridgeEvents } from '../../shared/ipc/contract';
import { builtPreload, requireBuild } from './built-app';

// Runs without the Electron binary: the built preload is checked as the sandbox will load it,
// a classic script whose `require` knows only 'electron'.

test('the built preload requires nothing but electron', () => {
  requireBuild(builtPreload);
  const source = readFileSync(builtPreload, 'utf8');
  const required = [...source.matchAll(/\brequire\s*\(\s*(["'`])([^"'`]*)\1\s*\)/g)].map((match) => match[2]);
  expect(new Set(required)).toEqual(new Set(['electron']));
  const allRequireCalls = source.match(/\brequire\s*\(/g) ?? [];
  expect(allRequireCalls).toHaveLength(required.length);
  expect(source).not.toMatch(/^\s*(import|export)\s/m);
});

test('the built preload exposes exactly the contract methods, each on its channel', async () => {
  requireBuild(builtPreload);
  const exposed = new Map<string, Record<string, (...args: unknown[]) => unknown>>();
  const invoked: unknown[][] = [];
  const fakeElectron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...args: unknown[]) => unknown>) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => invoked.push(args),
      on: () => undefined,
      removeListener: () => undefined,
    },
  };
  const sandbox = createContext({
    require: (id: string) => {
      if (id !== 'electron') throw new Error(`module not found: ${id}`);
      return fakeElectron;
    },
    module: { exports: {} },
    exports: {},
    console,
    crypto: globalThis.crypto,
  });
  runInContext(readFileSync(builtPreload, 'utf8'), sandbox, { filename: builtPreload });

  expect([...exposed.keys()]).toEqual(['stratboard']);
  const bridge = exposed.get('stratboard')!;
  expect(Object.keys(bridge).sort()).toEqual([...ipcMethods, ...bridgeEvents].sort());
  for (const method of ipcMethods) await bridge[method]!({ probe: method });
  expect(invoked).toEqual(ipcMethods.map((method) => [ipcContract[method].channel, { probe: method }]));
});
