import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The browser edition: same renderer, WebHost entry, served by the sync server from out/web.
// Paths are relative to `root` (this folder), so the config needs no Node imports.

function webHtmlAsIndex(): Plugin {
  return {
    name: 'stratboard-web-index',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const page = bundle['web.html'];
      if (page) page.fileName = 'index.html';
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react(), webHtmlAsIndex()],
  build: {
    outDir: '../out/web',
    emptyOutDir: true,
    rollupOptions: { input: `${import.meta.dirname}/web.html` },
    chunkSizeWarningLimit: 2000,
  },
});
