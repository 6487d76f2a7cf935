// Our sync server for the bench, as an operator would run it: token auth on (every
// socket is checked before the upgrade) and durable SQLite commits (one commit per tick,
// broadcast only after it). Prints `READY {"url","workspaceId","token"}` when it accepts
// connections; the token is an editor's for the bench workspace.
// Usage: ours-server.ts <dataDir> [fsync|process] (the store's durability, fsync by default).
import { randomBytes } from 'node:crypto';
import { silentLogger } from '../../../sync-server/src/logger';
import { startSyncServer } from '../../../sync-server/src/server';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: ours-server.ts <dataDir> [fsync|process]');
const durability = process.argv[3] ?? 'fsync';
if (durability !== 'fsync' && durability !== 'process') throw new Error(`unknown durability: ${durability}`);

const adminKey = randomBytes(24).toString('base64url');
const server = await startSyncServer({
  host: '127.0.0.1',
  port: 0,
  dataDir,
  logger: silentLogger,
  durability,
  auth: { secret: randomBytes(32), revocationsFile: null },
  adminKey,
  // Every limit at its default except the per-connection message rate: the bench's one
  // writer stands in for a whole room of writers and fires up to 6,400 updates/s, which
  // the default (1,000/s, bursts of 5,000) would rightly refuse from a single client.
  limits: { messagesPerSecond: 1e9, messageBurst: 1e9 },
});
const response = await fetch(`${server.url}/api/workspaces`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
  body: JSON.stringify({ name: 'Bench', firstBoardTitle: 'Доска' }),
});
if (!response.ok) throw new Error(`could not create the bench workspace: HTTP ${response.status}`);
const { id } = (await response.json()) as { id: string };
const { token } = await server.auth!.issue({ workspaceId: id, role: 'editor', ttlSeconds: 3600 });
console.log(`READY ${JSON.stringify({ url: server.url, workspaceId: id, token })}`);

process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
