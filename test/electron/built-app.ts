import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const builtMain = join(repoRoot, 'out/main/index.js');
export const builtPreload = join(repoRoot, 'out/preload/index.cjs');
export const builtRenderer = join(repoRoot, 'out/renderer/index.html');

/** Path of the Electron executable, or why there is none (its binary cannot be downloaded everywhere). */
export function findElectron(): { path: string } | { missing: string } {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  // electron's install step writes path.txt after downloading the binary.
  if (!existsSync(join(packageDir, 'path.txt'))) {
    return { missing: 'the Electron binary was never downloaded (node_modules/electron/path.txt is missing)' };
  }
  const path = require('electron') as string;
  return existsSync(path) ? { path } : { missing: `the Electron binary is not at ${path}` };
}

export function requireBuild(...files: string[]): void {
  const absent = files.filter((file) => !existsSync(file));
  if (absent.length > 0) throw new Error(`Build the app first (npx electron-vite build); missing: ${absent.join(', ')}`);
}
