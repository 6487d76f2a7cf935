import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import pg from 'pg';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { boardDocName, roomName } from '../../shared/docs';
import { newId } from '../../shared/ids';
import { silentLogger } from '../../sync-server/src/logger';
import { PgWorkspaces } from '../../sync-server/src/pg-store';
import { compareStreamIds, RedisRoomBackends } from '../../sync-server/src/redis-backend';
import { connectScaleOut, scaleOutSettingsFromEnv } from '../../sync-server/src/scale-out';
import type { SyncServer } from '../../sync-server/src/server';
import { connectProvider, createWorkspace, makeTempDir, sleep, startTestServer, waitFor, whenSynced } from '../../sync-server/test-support/clients';
import { EditingClient, missingFrom } from '../../sync-server/test-support/edits';
import { testServices } from '../../sync-server/test-support/services';

// Several sync servers on one Redis and one PostgreSQL, in this process so that a
// test can reach into Redis (kill a reader's connection, restart Redis itself).

const services = testServices({ redis: true, postgres: true });
const redisServerBinary = spawnSync('sh', ['-c', 'command -v redis-server']).stdout?.toString().trim() || null;
if (!redisServerBinary && process.env.STRATBOARD_REQUIRE_SERVICES === '1') {
  throw new Error('STRATBOARD_REQUIRE_SERVICES=1 but redis-server is not on PATH (the Redis restart test runs its own)');
}
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Instance {
  server: SyncServer;
  backends: RedisRoomBackends;
}

async function startInstance(options: { redisUrl?: string; compactEvery?: number; trimGraceMs?: number; reconnectDelayMs?: number } = {}): Promise<Instance> {
  const dataDir = await makeTempDir();
  cleanups.push(() => dataDir.remove());
  const workspaceFiles = await PgWorkspaces.connect(services.databaseUrl!, { logger: silentLogger });
  const backends = new RedisRoomBackends({
    url: options.redisUrl ?? services.redisUrl!,
    logger: silentLogger,
    ...(options.compactEvery ? { compactEvery: options.compactEvery } : {}),
    ...(options.trimGraceMs !== undefined ? { trimGraceMs: options.trimGraceMs } : {}),
    ...(options.reconnectDelayMs ? { reconnectDelayMs: options.reconnectDelayMs } : {}),
  });
  const server = await startTestServer({ dataDir: dataDir.path, workspaceFiles, roomBackends: backends });
  let closed = false;
  cleanups.push(async () => {
    if (!closed) await server.close();
  });
  return {
    server: {
      ...server,
      close: async () => {
        closed = true;
        await server.close();
      },
    },
    backends,
  };
}

function editor(instance: Instance, room: string, name: string, acknowledged = new Set<string>()): EditingClient {
  const client = new EditingClient(instance.server, room, name, acknowledged);
  cleanups.push(() => client.destroy());
  return client;
}

function freshClient(instance: Instance, room: string): WebsocketProvider {
  const provider = connectProvider(instance.server, room);
  cleanups.push(() => provider.destroy());
  return provider;
}

async function newRoom(instance: Instance): Promise<string> {
  const { id } = await createWorkspace(instance.server);
  return roomName(id, boardDocName(newId()));
}

async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe.skipIf(services.missing)('scale-out on Redis Streams with PostgreSQL snapshots', () => {
  it('lets clients on two server processes converge on each other’s edits', async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const room = await newRoom(a);
    const [alice, bob] = [editor(a, room, 'alice'), editor(b, room, 'bob')];
    await Promise.all([whenSynced(alice.provider), whenSynced(bob.provider)]);

    for (let i = 0; i < 20; i++) {
      alice.write();
      bob.write();
    }
    const written = [...alice.written, ...bob.written];
    await waitFor(() => missingFrom(alice.provider.doc, written).length === 0, 'alice to have bob’s edits');
    await waitFor(() => missingFrom(bob.provider.doc, written).length === 0, 'bob to have alice’s edits');
    expect(alice.keys()).toEqual(bob.keys());
  });

  it('shares presence between instances and removes it when the client leaves', async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const room = await newRoom(a);
    const [alice, bob] = [editor(a, room, 'alice'), editor(b, room, 'bob')];
    await Promise.all([whenSynced(alice.provider), whenSynced(bob.provider)]);

    alice.provider.awareness.setLocalStateField('user', { name: 'Алиса' });
    const aliceId = alice.provider.doc.clientID;
    await waitFor(() => bob.provider.awareness.getStates().get(aliceId)?.user?.name === 'Алиса', 'bob to see alice’s presence');
    alice.provider.disconnect();
    await waitFor(() => !bob.provider.awareness.getStates().has(aliceId), 'alice’s presence to disappear for bob');
  });

  it('resumes reading from the last id after its Redis connection is cut', async () => {
    const a = await startInstance();
    const b = await startInstance({ reconnectDelayMs: 1_500 });
    const room = await newRoom(a);
    const acknowledged = new Set<string>();
    const alice = editor(a, room, 'alice', acknowledged);
    const carol = editor(a, room, 'carol', acknowledged);
    const bob = editor(b, room, 'bob');
    await Promise.all([alice, carol, bob].map((client) => whenSynced(client.provider)));
    const first = alice.write();
    await waitFor(() => bob.edits.has(first), 'bob to see alice’s first edit');

    const redis = new Redis(services.redisUrl!);
    cleanups.push(() => redis.disconnect());
    const readerId = await clientIdByName(redis, `stratboard-reader-${b.backends.instanceId}`);
    await redis.client('KILL', 'ID', readerId);
    const duringOutage = Array.from({ length: 10 }, () => alice.write());
    // Relayed by server A, so appended to the stream while B could not read it.
    await waitFor(() => duringOutage.every((key) => carol.edits.has(key)), 'carol to see the edits');
    expect(missingFrom(bob.provider.doc, duringOutage)).toEqual(duringOutage);

    await waitFor(() => missingFrom(bob.provider.doc, duringOutage).length === 0, 'bob to receive what was appended during the outage', 10_000);
    expect(await clientIdByName(redis, `stratboard-reader-${b.backends.instanceId}`)).not.toBe(readerId);
    expect(bob.keys()).toEqual(alice.keys());
  });

  it.skipIf(!redisServerBinary)('keeps every acknowledged edit across a Redis restart and resumes the streams', async () => {
    const redis = await PrivateRedis.start();
    cleanups.push(() => redis.stop());
    const a = await startInstance({ redisUrl: redis.url, reconnectDelayMs: 200 });
    const b = await startInstance({ redisUrl: redis.url, reconnectDelayMs: 200 });
    const room = await newRoom(a);
    const acknowledged = new Set<string>();
    const alice = editor(a, room, 'alice', acknowledged);
    const carol = editor(a, room, 'carol', acknowledged);
    const bob = editor(b, room, 'bob', acknowledged);
    await Promise.all([alice, carol, bob].map((client) => whenSynced(client.provider)));

    const before = Array.from({ length: 10 }, () => alice.write());
    await waitFor(() => missingFrom(bob.provider.doc, before).length === 0, 'bob to see the first edits');
    await redis.kill();
    // Appended once Redis is back; until then nobody is told they are stored.
    const whileDown = [...Array.from({ length: 5 }, () => alice.write()), ...Array.from({ length: 5 }, () => bob.write())];
    await sleep(300);
    expect(missingFrom(carol.provider.doc, whileDown.slice(0, 5))).toEqual(whileDown.slice(0, 5));
    await redis.restart();

    const written = [...before, ...whileDown];
    for (const client of [alice, carol, bob]) {
      await waitFor(() => missingFrom(client.provider.doc, written).length === 0, `${client.name} to have every edit`, 15_000);
    }
    const fresh = freshClient(b, room);
    await whenSynced(fresh);
    expect(missingFrom(fresh.doc, written)).toEqual([]);
    expect(missingFrom(fresh.doc, acknowledged)).toEqual([]);
  });

  it('compaction writes a PostgreSQL snapshot, trims the stream, and a new instance loads from both', async () => {
    const a = await startInstance({ compactEvery: 10, trimGraceMs: 0 });
    const room = await newRoom(a);
    const [workspaceId, docName] = room.split('/') as [string, string];
    const alice = editor(a, room, 'alice');
    const bob = editor(a, room, 'bob');
    await Promise.all([whenSynced(alice.provider), whenSynced(bob.provider)]);
    for (let i = 0; i < 35; i++) {
      alice.write();
      await sleep(5);
    }
    await waitFor(() => missingFrom(bob.provider.doc, alice.written).length === 0, 'bob to see alice’s edits');

    const db = new pg.Client({ connectionString: services.databaseUrl! });
    await db.connect();
    cleanups.push(() => db.end());
    const redis = new Redis(services.redisUrl!);
    cleanups.push(() => redis.disconnect());
    const streamKey = a.backends.streamKey(room);
    let snapshot: { stream_id: string; data: Buffer } | undefined;
    await eventually(async () => {
      const result = await db.query<{ stream_id: string; data: Buffer }>(
        'SELECT stream_id, data FROM stratboard_snapshots WHERE workspace_id = $1 AND doc = $2 AND stream_id IS NOT NULL',
        [workspaceId, docName],
      );
      snapshot = result.rows[0];
      return snapshot !== undefined && (await redis.xlen(streamKey)) < 35;
    }, 'a snapshot and a trimmed stream');

    // Nothing older than the snapshot's entry is left in the stream.
    const oldest = await redis.xrange(streamKey, '-', '+', 'COUNT', 1);
    if (oldest[0]) expect(compareStreamIds(oldest[0][0], snapshot!.stream_id)).toBeGreaterThanOrEqual(0);
    const fromSnapshot = new Y.Doc();
    Y.applyUpdate(fromSnapshot, snapshot!.data);
    expect(fromSnapshot.getMap('edits').size).toBeGreaterThanOrEqual(10);

    const metrics = await (await fetch(`${a.server.url}/metrics`)).text();
    expect(metricValue(metrics, 'stratboard_redis_append_duration_seconds_count')).toBeGreaterThanOrEqual(35);
    expect(metricValue(metrics, 'stratboard_redis_compactions_total{outcome="done"}')).toBeGreaterThanOrEqual(1);
    expect(metricValue(metrics, 'stratboard_compaction_duration_seconds_count')).toBeGreaterThanOrEqual(1);

    await a.server.close();
    const c = await startInstance({ compactEvery: 10, trimGraceMs: 0 });
    const fresh = freshClient(c, room);
    await whenSynced(fresh);
    expect(missingFrom(fresh.doc, alice.written)).toEqual([]);
  });
});

describe.skipIf(services.missing)('PostgreSQL workspace store', () => {
  it('creates its schema idempotently, commits updates, and reads a compacted snapshot back', async () => {
    const [first, second] = await Promise.all([
      PgWorkspaces.connect(services.databaseUrl!, { logger: silentLogger }),
      PgWorkspaces.connect(services.databaseUrl!, { logger: silentLogger }),
    ]);
    cleanups.push(() => first.close());
    cleanups.push(() => second.close());
    const workspaceId = newId();
    const docName = boardDocName(newId());
    const store = await first.create(`/nowhere/${workspaceId}.stratboard`, { workspaceId, name: 'Дороги' });
    await expect(first.create(`/x/${workspaceId}.stratboard`, { workspaceId, name: 'again' })).rejects.toMatchObject({ code: 'already-exists' });
    await expect(first.open(`/x/${newId()}.stratboard`)).rejects.toMatchObject({ code: 'not-found' });

    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 30; i++) writer.getMap('edits').set(`k${i}`, i);
    await Promise.all(updates.slice(0, 20).map((update) => store.appendUpdate(docName, update)));
    await store.compact(docName);
    await Promise.all(updates.slice(20).map((update) => store.appendUpdate(docName, update)));

    const reopened = await second.open(`/elsewhere/${workspaceId}.stratboard`);
    expect(reopened.name).toBe('Дороги');
    const state = await reopened.readDocState(docName);
    // The snapshot, then the ten updates committed after it.
    expect(state.updates).toHaveLength(11);
    const loaded = new Y.Doc();
    await reopened.loadDoc(docName, loaded);
    expect(loaded.getMap('edits').toJSON()).toEqual(writer.getMap('edits').toJSON());

    await reopened.compact(docName);
    expect((await reopened.readDocState(docName)).updates).toHaveLength(1);
    const again = new Y.Doc();
    Y.applyUpdate(again, await reopened.encodeDocState(docName));
    expect(again.getMap('edits').toJSON()).toEqual(writer.getMap('edits').toJSON());
    await store.close();
    await reopened.close();
  });
});

function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  if (!line) throw new Error(`no ${series} in /metrics`);
  return Number(line.slice(series.length + 1));
}

async function clientIdByName(redis: Redis, name: string): Promise<string> {
  const list = (await redis.client('LIST')) as string;
  const line = list.split('\n').find((entry) => entry.includes(` name=${name} `));
  const id = line ? /(?:^|\s)id=(\d+)/.exec(line)?.[1] : undefined;
  if (!id) throw new Error(`no Redis client named ${name}`);
  return id;
}

/** A redis-server of this test alone, with an fsync-always append-only file, so it can be killed and restarted. */
class PrivateRedis {
  private child: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    private readonly dir: Awaited<ReturnType<typeof makeTempDir>>,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), await makeTempDir());
    await redis.restart();
    return redis;
  }

  async restart(): Promise<void> {
    const child = spawn(
      redisServerBinary!,
      ['--bind', '127.0.0.1', '--port', String(this.port), '--dir', this.dir.path, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
      { stdio: 'ignore' },
    );
    this.child = child;
    const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
    // Refused until the server listens; the ping below waits for that.
    probe.on('error', () => {});
    try {
      await probe.connect().catch(() => {});
      await Promise.race([probe.ping(), sleep(10_000).then(() => Promise.reject(new Error('redis-server did not start')))]);
    } finally {
      probe.disconnect();
    }
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    await this.dir.remove();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('scale-out configuration', () => {
  it('refuses Redis without PostgreSQL and bad numbers, naming the variable', async () => {
    await expect(connectScaleOut({ redisUrl: 'redis://127.0.0.1:1' }, silentLogger)).rejects.toThrow(/REDIS_URL needs DATABASE_URL/);
    expect(() => scaleOutSettingsFromEnv({ STRATBOARD_COMPACT_EVERY: 'many' })).toThrow(/STRATBOARD_COMPACT_EVERY/);
    expect(() => scaleOutSettingsFromEnv({ STRATBOARD_COMPACT_EVERY: '0' })).toThrow(/STRATBOARD_COMPACT_EVERY/);
    expect(await connectScaleOut(scaleOutSettingsFromEnv({}), silentLogger)).toEqual({});
  });

  it('refuses a database it cannot reach, naming DATABASE_URL', async () => {
    const port = await freePort();
    await expect(connectScaleOut({ databaseUrl: `postgres://nobody@127.0.0.1:${port}/none` }, silentLogger)).rejects.toThrow(/^DATABASE_URL: cannot use PostgreSQL/);
  });
});
