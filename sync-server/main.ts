import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { consoleLogger } from './src/logger';
import { startSyncServer } from './src/server';

// Run as: node --import tsx sync-server/main.ts [--port 8787] [--host 127.0.0.1] [--data ./data] [--static out/web]
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    static: { type: 'string' },
  },
});

const port = Number(values.port ?? process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid port: ${values.port ?? process.env.PORT}`);
  process.exit(2);
}
const host = values.host ?? process.env.HOST ?? '127.0.0.1';
const dataDir = resolve(values.data ?? process.env.STRATBOARD_DATA ?? './data');
const staticDir = values.static ?? process.env.STRATBOARD_STATIC;
const resolvedStaticDir = staticDir ? resolve(staticDir) : resolve(repoRoot, 'out/web');

mkdirSync(dataDir, { recursive: true });

const server = await startSyncServer({ host, port, dataDir, staticDir: resolvedStaticDir, logger: consoleLogger });
console.log(`Stratboard server: ${server.url}/`);
consoleLogger.info({ dataDir, staticDir: resolvedStaticDir }, 'serving');

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) {
    // A second signal means the operator does not want to wait.
    process.exit(1);
  }
  stopping = true;
  consoleLogger.info({ signal }, 'shutting down');
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      consoleLogger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
