import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

// Browser e2e: Debian's Chromium drives the browser edition served by our sync server.
// Never `npx playwright install`: the machine has no network for browser downloads.
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Chromium not found: install it with `apt-get install -y chromium` or set CHROMIUM_PATH');
  }
}

// Set once in the runner process; workers inherit the environment.
process.env.STRATBOARD_E2E_DATA ??= mkdtempSync(join(tmpdir(), 'stratboard-e2e-'));
const port = Number(process.env.STRATBOARD_E2E_PORT ?? 8799);

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  outputDir: '../../test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'ru-RU',
    viewport: { width: 1366, height: 820 },
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `node --import tsx sync-server/main.ts --host 127.0.0.1 --port ${port} --data "${process.env.STRATBOARD_E2E_DATA}" --static out/web`,
    cwd: join(import.meta.dirname, '../..'),
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
