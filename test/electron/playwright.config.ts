import { defineConfig } from '@playwright/test';

// Electron end-to-end tests run against the built app (`npx electron-vite build`).
// Those that need the Electron binary skip, saying why, where it is not installed.
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  reporter: [['list']],
  outputDir: '../../test-results/electron',
});
