import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { ipcMethods, bridgeEvents } from '../../shared/ipc/contract';
import { builtMain, builtPreload, builtRenderer, findElectron, repoRoot, requireBuild } from './built-app';

const electronBinary = findElectron();
const skipReason = 'missing' in electronBinary ? `Electron e2e skipped: ${electronBinary.missing}` : '';
if (skipReason) console.warn(skipReason);
test.skip(skipReason !== '', skipReason);

test.describe('desktop app', () => {
  let app: ElectronApplication;
  let page: Page;
  let userData: string;

  test.beforeAll(async () => {
    if (!('path' in electronBinary)) return;
    requireBuild(builtMain, builtPreload, builtRenderer);
    userData = mkdtempSync(join(tmpdir(), 'stratboard-e2e-'));
    const env = { ...process.env, STRATBOARD_USER_DATA_DIR: userData } as Record<string, string>;
    delete env.ELECTRON_RENDERER_URL;
    app = await electron.launch({
      executablePath: electronBinary.path,
      // Chromium refuses to start as root with its OS sandbox on (CI containers).
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), repoRoot],
      cwd: repoRoot,
      env,
    });
    page = await app.firstWindow();
  });

  test.afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  test('opens on the home screen titled «Стратборд»', async () => {
    await expect(page.getByText('Стратборд').first()).toBeVisible();
  });

  test('gives the page the bridge with exactly the contract methods, and no Node', async () => {
    const exposed = await page.evaluate(() => ({
      bridge: Object.keys((globalThis as unknown as { stratboard: object }).stratboard).sort(),
      require: typeof (globalThis as unknown as { require?: unknown }).require,
      process: typeof (globalThis as unknown as { process?: unknown }).process,
    }));
    expect(exposed).toEqual({ bridge: [...ipcMethods, ...bridgeEvents].sort(), require: 'undefined', process: 'undefined' });
  });

  test('answers a bridge call from the app page', async () => {
    const settings = await page.evaluate(() =>
      (globalThis as unknown as { stratboard: { getSettings(p: undefined): Promise<unknown> } }).stratboard.getSettings(undefined),
    );
    expect(settings).toEqual({ ok: true, value: { locale: 'ru' } });
  });

  test('keeps the window on the app page when the page tries to navigate away', async () => {
    const appUrl = page.url();
    await page.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.org/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(appUrl);
    expect(app.windows()).toHaveLength(1);
  });
});
