import { afterEach, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { boardDocName, roomName } from '../../shared/docs';
import { newId } from '../../shared/ids';
import { connectProvider, createWorkspace, makeTempDir, sleep, waitFor, whenSynced } from '../../sync-server/test-support/clients';
import { EditingClient, missingFrom } from '../../sync-server/test-support/edits';
import { ServerProcess, testServices } from '../../sync-server/test-support/services';

// The server runs as a child process and is SIGKILLed while three stock y-websocket
// clients stream edits. Afterwards a fresh client must find every acknowledged edit
// (see EditingClient for the definition) in what the restarted server loads, and
// once the old clients reconnect everyone converges on everything anyone wrote.

const services = testServices({ redis: true, postgres: true });
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Mode {
  /** Server process index of each of the three clients. */
  placement: [number, number, number];
  servers: number;
  /** Index of the process that is killed. */
  victim: number;
  env: Record<string, string>;
}

async function killDuringEdits(mode: Mode): Promise<{ acknowledged: number }> {
  const dataDirs = await Promise.all(Array.from({ length: mode.servers }, () => makeTempDir()));
  for (const dir of dataDirs) cleanups.push(() => dir.remove());
  const processes: ServerProcess[] = [];
  cleanups.push(async () => {
    for (const process of processes) await process.kill();
  });
  for (const dir of dataDirs) processes.push(await ServerProcess.start({ dataDir: dir.path, env: mode.env }));

  const { id } = await createWorkspace(processes[0]!);
  const room = roomName(id, boardDocName(newId()));
  const acknowledged = new Set<string>();
  const clients = mode.placement.map((server, i) => new EditingClient(processes[server]!, room, `c${i}`, acknowledged));
  const providers: WebsocketProvider[] = clients.map((client) => client.provider);
  cleanups.push(() => {
    for (const provider of providers) provider.destroy();
  });
  await Promise.all(clients.map((client) => whenSynced(client.provider)));

  for (const client of clients) client.start(8);
  await sleep(400 + Math.floor(Math.random() * 400));
  const victim = processes[mode.victim]!;
  await victim.kill('SIGKILL');
  const cutOff = clients.filter((_, i) => mode.placement[i] === mode.victim);
  for (const client of cutOff) {
    client.stop();
    // Kept off the restarted server until the fresh client has looked at it.
    client.provider.disconnect();
  }

  processes[mode.victim] = await ServerProcess.start({ dataDir: dataDirs[mode.victim]!.path, port: victim.port, env: mode.env });
  const promised = new Set(acknowledged);
  const fresh = connectProvider(processes[mode.victim]!, room);
  providers.push(fresh);
  await whenSynced(fresh);
  expect(missingFrom(fresh.doc, promised), 'acknowledged edits the restarted server lost').toEqual([]);

  for (const client of cutOff) client.provider.connect();
  await sleep(200);
  for (const client of clients) client.stop();
  const written = clients.flatMap((client) => client.written);
  const docs = [...clients.map((client) => client.provider.doc), fresh.doc];
  await waitFor(() => docs.every((doc) => missingFrom(doc, written).length === 0), 'every client to have every edit', 20_000);
  const keySets = docs.map((doc) => [...doc.getMap('edits').keys()].sort());
  for (const keys of keySets) expect(keys).toEqual(keySets[0]);
  return { acknowledged: promised.size };
}

describe('durability when the server process is killed', () => {
  it(
    'SQLite: keeps every acknowledged edit of three clients and they converge after restart',
    async () => {
      const { acknowledged } = await killDuringEdits({ servers: 1, placement: [0, 0, 0], victim: 0, env: {} });
      // Guards against a vacuous pass where the kill came before anything was relayed.
      expect(acknowledged).toBeGreaterThan(10);
    },
    90_000,
  );

  it.skipIf(services.missing)(
    'PostgreSQL (single node): keeps every acknowledged edit and the clients converge after restart',
    async () => {
      const { acknowledged } = await killDuringEdits({
        servers: 1,
        placement: [0, 0, 0],
        victim: 0,
        env: { DATABASE_URL: services.databaseUrl!, STRATBOARD_COMPACT_EVERY: '40' },
      });
      expect(acknowledged).toBeGreaterThan(10);
    },
    90_000,
  );

  it.skipIf(services.missing)(
    'Redis: two processes share a room; one is killed mid-stream and restarted, nothing acknowledged is lost',
    async () => {
      const { acknowledged } = await killDuringEdits({
        servers: 2,
        // Two clients on the process that dies, one on the survivor, which keeps editing.
        placement: [0, 0, 1],
        victim: 0,
        env: {
          REDIS_URL: services.redisUrl!,
          DATABASE_URL: services.databaseUrl!,
          // Compaction and trimming run during the stream too.
          STRATBOARD_COMPACT_EVERY: '40',
          STRATBOARD_TRIM_GRACE_MS: '500',
        },
      });
      expect(acknowledged).toBeGreaterThan(10);
    },
    90_000,
  );
});
