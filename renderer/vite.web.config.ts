import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The browser edition: same renderer, WebHost entry, served by the sync server from out/web.
const root = resolve(import.meta.dirname);

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
  root,
  base: './',
  plugins: [react(), webHtmlAsIndex()],
  build: {
    outDir: resolve(root, '../out/web'),
    emptyOutDir: true,
    rollupOptions: { input: resolve(root, 'web.html') },
    chunkSizeWarningLimit: 2000,
  },
});
