// Our sync server for the bench, as an operator would run it: durable SQLite commits,
// and (once the server has auth) a secret, with one editor token for the bench's clients.
// Prints `READY {"url","workspaceId","tokenFor"}` when it accepts connections.
import { startSyncServer } from '../../../sync-server/src/server';
import { silentLogger } from '../../../sync-server/src/logger';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: ours-server.ts <dataDir>');

const server = await startSyncServer({ host: '127.0.0.1', port: 0, dataDir, logger: silentLogger });
const response = await fetch(`${server.url}/api/workspaces`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'Bench', firstBoardTitle: 'Доска' }),
});
if (!response.ok) throw new Error(`could not create the bench workspace: HTTP ${response.status}`);
const { id } = (await response.json()) as { id: string };
console.log(`READY ${JSON.stringify({ url: server.url, workspaceId: id, tokenFor: null })}`);

process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
