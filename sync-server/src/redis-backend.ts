import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Counter, Histogram } from 'prom-client';
import * as Y from 'yjs';
import type { BackendMetrics, RoomAddress, RoomBackend, RoomBackends } from './backend';
import type { Logger } from './logger';
import { isSnapshotStore, type SnapshotStore } from './pg-store';

export const DEFAULT_STREAM_COMPACT_EVERY = 500;
export const DEFAULT_TRIM_GRACE_MS = 10_000;
const LOCK_TTL_MS = 30_000;
const BLOCK_MS = 1_000;
const READ_COUNT = 1_000;
const LOAD_ATTEMPTS = 5;
/** How long close() lets compactions started by idle rooms finish. */
const CLOSE_GRACE_MS = 5_000;

// Deletes the lock only if this instance still holds it.
const RELEASE_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export interface RedisRoomBackendsOptions {
  url: string;
  logger: Logger;
  /** Names this process in stream entries, so it skips its own; random by default. */
  instanceId?: string;
  /** A room is compacted once this instance has seen this many entries of it since its last compaction. */
  compactEvery?: number;
  /** Entries younger than this stay in the stream after compaction, for readers that lag. */
  trimGraceMs?: number;
  /** Delay before reconnecting to Redis (ioredis retry strategy); default grows to 2 s. */
  reconnectDelayMs?: number;
}



/** Orders Redis Stream ids ("<ms>-<seq>"). */
export function compareStreamIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

interface Subscription {
  key: string;
  /** Pub/sub channel of the room's presence. */
  channel: string;
  deliverAwareness: (update: Uint8Array) => void;
  /** The last stream id applied to the room (its own appends are skipped, not applied twice). */
  lastId: string;
  deliver: (update: Uint8Array) => void;
  store: SnapshotStore;
  docName: string;
}

/**
 * Scale-out on Redis Streams: every update of a room is XADDed to the room's stream and
 * acknowledged (then broadcast) once Redis has it; each instance reads the streams of
 * the rooms it has open with one blocking XREAD and applies other instances' entries.
 * A room loads as its latest snapshot (PostgreSQL) plus the stream entries after the
 * snapshot's stream id. Compaction (one instance at a time, SET NX PX lock) writes a
 * snapshot and trims the stream up to it (XTRIM MINID).
 */
export class RedisRoomBackends implements RoomBackends {
  readonly instanceId: string;
  private readonly commands: Redis;
  private readonly reader: Redis;
  /** Subscribed to the presence channels of the open rooms (pub/sub needs its own connection). */
  private readonly presence: Redis;
  private readonly subscriptions = new Map<string, Subscription>();
  private readerClientId: number | null = null;
  private blocked = false;
  private wake: (() => void) | null = null;
  private closed = false;
  private readonly loop: Promise<void>;
  private readonly background = new Set<Promise<unknown>>();
  private readonly compactEvery: number;
  private readonly trimGraceMs: number;
  /** Set when the reader lost its connection: rooms catch up from snapshots that may have trimmed what it missed. */
  private reconnected = false;
  private metrics: {
    append: Histogram;
    applied: Counter;
    compactions: Counter<'outcome'>;
    server: BackendMetrics;
  } | null = null;

  constructor(private readonly options: RedisRoomBackendsOptions) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.compactEvery = options.compactEvery ?? DEFAULT_STREAM_COMPACT_EVERY;
    this.trimGraceMs = options.trimGraceMs ?? DEFAULT_TRIM_GRACE_MS;
    const retryStrategy = (times: number) => options.reconnectDelayMs ?? Math.min(times * 100, 2_000);
    const common = { lazyConnect: false, maxRetriesPerRequest: null, retryStrategy, enableOfflineQueue: true };
    this.commands = new Redis(options.url, { ...common, connectionName: `stratboard-${this.instanceId}` });
    this.reader = new Redis(options.url, { ...common, connectionName: `stratboard-reader-${this.instanceId}` });
    this.presence = new Redis(options.url, { ...common, connectionName: `stratboard-presence-${this.instanceId}` });
    this.presence.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receivePresence(channel.toString(), message));
    for (const connection of [this.commands, this.reader, this.presence]) {
      connection.on('error', (error: Error) => options.logger.warn({ err: error }, 'Redis connection error'));
    }
    this.reader.on('close', () => {
      this.readerClientId = null;
      this.reconnected = true;
    });
    this.loop = this.readLoop();
  }

  /** Adds the Redis metrics to the server's registry; called once by the server. */
  attachMetrics(server: BackendMetrics): void {
    const registers = [server.registry];
    this.metrics = {
      append: new Histogram({
        name: 'stratboard_redis_append_duration_seconds',
        help: 'XADD of one update to its room stream, until Redis answered.',
        buckets: [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
        registers,
      }),
      applied: new Counter({
        name: 'stratboard_redis_entries_applied_total',
        help: 'Stream entries written by other instances and applied to rooms here.',
        registers,
      }),
      compactions: new Counter({
        name: 'stratboard_redis_compactions_total',
        help: 'Room compactions attempted here, by outcome (done, locked elsewhere, failed).',
        labelNames: ['outcome'],
        registers,
      }),
      server,
    };
  }

  /** Fails if Redis cannot be reached now (startup check). */
  async ping(): Promise<void> {
    await this.commands.ping();
  }

  open(address: RoomAddress): RoomBackend {
    const { store } = address;
    if (!isSnapshotStore(store)) throw new Error('Redis scale-out needs a store with snapshots (DATABASE_URL)');
    return new RedisRoom(this, address.room, address.docName, store);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscriptions.clear();
    this.interrupt();
    // Redis may be unreachable now, and its commands queued for ever: waiting is bounded.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.background]),
      new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS))),
    ]);
    clearTimeout(timer);
    this.reader.disconnect();
    this.presence.disconnect();
    await this.loop;
    this.commands.disconnect();
  }

  /** @internal */
  get isClosed(): boolean {
    return this.closed;
  }

  /** @internal */
  get compactThreshold(): number {
    return this.compactEvery;
  }

  /** @internal */
  logFailure(room: string, error: unknown): void {
    this.options.logger.error({ room, err: error }, 'compacting a Redis stream failed');
  }

  streamKey(room: string): string {
    return `stratboard:room:${room}:updates`;
  }

  /** @internal */
  async append(room: string, update: Uint8Array): Promise<string> {
    const started = performance.now();
    const id = await this.commands.xadd(this.streamKey(room), '*', 'i', this.instanceId, 'u', Buffer.from(update));
    this.metrics?.append.observe((performance.now() - started) / 1_000);
    if (id === null) throw new Error('XADD returned no id');
    return id;
  }

  /** @internal Entries after `afterId` (exclusive; null: from the start), as [id, update] pairs. */
  async range(room: string, afterId: string | null): Promise<Array<[string, Uint8Array]>> {
    const entries = await this.commands.xrangeBuffer(this.streamKey(room), afterId ? `(${afterId}` : '-', '+');
    return entries.map(([id, fields]) => [id.toString(), fieldOf(fields, 'u') ?? new Uint8Array()]);
  }

  /** @internal */
  subscribe(room: string, subscription: Subscription): void {
    if (this.closed) return;
    this.subscriptions.set(room, subscription);
    this.interrupt();
    this.presence.subscribe(subscription.channel).catch((error: unknown) => this.logPresenceFailure(room, error));
  }

  /** @internal */
  unsubscribe(room: string, subscription: Subscription): void {
    if (this.subscriptions.get(room) !== subscription) return;
    this.subscriptions.delete(room);
    this.interrupt();
    if (!this.closed) this.presence.unsubscribe(subscription.channel).catch((error: unknown) => this.logPresenceFailure(room, error));
  }

  /** @internal The room's presence channel; entries are `<instanceId>\n<awareness update>`. */
  presenceChannel(room: string): string {
    return `stratboard:room:${room}:presence`;
  }

  /** @internal Best effort: presence is renewed by clients every 15 s anyway. */
  publishPresence(room: string, update: Uint8Array): void {
    const message = Buffer.concat([Buffer.from(`${this.instanceId}\n`), update]);
    this.commands.publish(this.presenceChannel(room), message).catch((error: unknown) => this.logPresenceFailure(room, error));
  }

  private receivePresence(channel: string, message: Buffer): void {
    const newline = message.indexOf(0x0a);
    if (newline < 0 || message.subarray(0, newline).toString() === this.instanceId) return;
    for (const subscription of this.subscriptions.values()) {
      if (subscription.channel !== channel) continue;
      const update = message.subarray(newline + 1);
      subscription.deliverAwareness(new Uint8Array(update.buffer, update.byteOffset, update.byteLength));
    }
  }

  private logPresenceFailure(room: string, error: unknown): void {
    this.options.logger.warn({ room, err: error }, 'sharing presence through Redis failed');
  }

  /** @internal Runs work that close() waits for. */
  track(work: Promise<unknown>): void {
    this.background.add(work);
    void work.finally(() => this.background.delete(work));
  }

  /**
   * Writes a snapshot of the room (stored state + stream) and trims the stream up to it,
   * if no other instance is compacting it. Resolves false when the lock was taken.
   */
  async compact(room: string, docName: string, store: SnapshotStore): Promise<boolean> {
    const lockKey = `stratboard:room:${room}:compacting`;
    const token = randomUUID();
    const locked = await this.commands.set(lockKey, token, 'PX', LOCK_TTL_MS, 'NX');
    if (locked !== 'OK') {
      this.metrics?.compactions.inc({ outcome: 'locked' });
      return false;
    }
    const started = performance.now();
    try {
      const state = await store.readDocState(docName);
      const entries = await this.range(room, state.streamId);
      const last = entries.at(-1);
      if (!last) return true;
      const doc = new Y.Doc();
      try {
        doc.transact(() => {
          for (const update of state.updates) Y.applyUpdate(doc, update);
          for (const [, update] of entries) Y.applyUpdate(doc, update);
        });
        await store.writeSnapshot(docName, Y.encodeStateAsUpdate(doc), last[0], state.uptoSeq);
      } finally {
        doc.destroy();
      }
      // Entries younger than the grace stay for readers a moment behind; loading skips
      // everything up to the snapshot's id anyway.
      const graceId = `${Date.now() - this.trimGraceMs}-0`;
      const minId = compareStreamIds(last[0], graceId) < 0 ? last[0] : graceId;
      await this.commands.xtrim(this.streamKey(room), 'MINID', minId);
      this.metrics?.server.observeCompaction((performance.now() - started) / 1_000);
      this.metrics?.compactions.inc({ outcome: 'done' });
      return true;
    } catch (error) {
      this.metrics?.compactions.inc({ outcome: 'failed' });
      throw error;
    } finally {
      await this.commands.eval(RELEASE_LOCK, 1, lockKey, token).catch(() => {});
    }
  }

  private interrupt(): void {
    this.wake?.();
    if (this.blocked && this.readerClientId !== null) {
      // A blocking XREAD does not see the new set of streams; end it early.
      this.commands.client('UNBLOCK', this.readerClientId).catch(() => {});
    }
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      if (this.subscriptions.size === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      try {
        if (this.readerClientId === null) this.readerClientId = Number(await this.reader.client('ID'));
        if (this.reconnected) {
          this.reconnected = false;
          await this.catchUpFromSnapshots();
        }
        const subscriptions = [...this.subscriptions.values()];
        if (subscriptions.length === 0) continue;
        this.blocked = true;
        const read = this.reader.xreadBuffer(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...subscriptions.map((subscription) => subscription.key),
          ...subscriptions.map((subscription) => subscription.lastId),
        );
        const result = await read.finally(() => (this.blocked = false));
        if (!result) continue;
        for (const [keyBuffer, entries] of result) {
          const key = keyBuffer.toString();
          const subscription = subscriptions.find((candidate) => candidate.key === key);
          if (!subscription) continue;
          for (const [idBuffer, fields] of entries) {
            subscription.lastId = idBuffer.toString();
            if (fieldOf(fields, 'i')?.toString() === this.instanceId) continue;
            const update = fieldOf(fields, 'u');
            if (!update) continue;
            subscription.deliver(update);
            this.metrics?.applied.inc();
          }
        }
      } catch (error) {
        if (this.closed) break;
        this.options.logger.warn({ err: error }, 'reading Redis streams failed; retrying from the last ids');
        await new Promise((resolve) => setTimeout(resolve, this.options.reconnectDelayMs ?? 500));
      }
    }
  }

  /**
   * After a lost connection another instance may have compacted and trimmed entries this
   * one had not read yet: a snapshot past our last id is merged (Yjs updates are
   * idempotent) and reading goes on from its id.
   */
  private async catchUpFromSnapshots(): Promise<void> {
    for (const subscription of [...this.subscriptions.values()]) {
      const streamId = await subscription.store.snapshotStreamId(subscription.docName);
      if (streamId === null || compareStreamIds(streamId, subscription.lastId) <= 0) continue;
      const state = await subscription.store.readDocState(subscription.docName);
      for (const update of state.updates) subscription.deliver(update);
      if (state.streamId && compareStreamIds(state.streamId, subscription.lastId) > 0) subscription.lastId = state.streamId;
    }
  }
}

class RedisRoom implements RoomBackend {
  private subscription: Subscription | null = null;
  private lastLoadedId = '0-0';
  private seenSinceCompaction = 0;
  private compacting = false;
  private closed = false;

  constructor(
    private readonly backends: RedisRoomBackends,
    private readonly room: string,
    private readonly docName: string,
    private readonly store: SnapshotStore,
  ) {}

  async load(doc: Y.Doc): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const state = await this.store.readDocState(this.docName);
      const entries = await this.backends.range(this.room, state.streamId);
      // A compaction between the two reads may have trimmed entries the old snapshot
      // lacks; then its snapshot id has moved and the load starts over.
      const streamIdNow = await this.store.snapshotStreamId(this.docName);
      if (streamIdNow !== state.streamId && attempt < LOAD_ATTEMPTS) continue;
      doc.transact(() => {
        for (const update of state.updates) Y.applyUpdate(doc, update, this);
        for (const [, update] of entries) Y.applyUpdate(doc, update, this);
      }, this);
      this.lastLoadedId = entries.at(-1)?.[0] ?? state.streamId ?? '0-0';
      this.seenSinceCompaction = entries.length;
      return;
    }
  }

  async append(update: Uint8Array): Promise<void> {
    await this.backends.append(this.room, update);
    this.counted();
  }

  subscribe(onRemoteUpdate: (update: Uint8Array) => void, onRemoteAwareness: (update: Uint8Array) => void): void {
    if (this.closed) return;
    this.subscription = {
      key: this.backends.streamKey(this.room),
      channel: this.backends.presenceChannel(this.room),
      deliverAwareness: (update) => {
        if (!this.closed) onRemoteAwareness(update);
      },
      lastId: this.lastLoadedId,
      deliver: (update) => {
        if (this.closed) return;
        onRemoteUpdate(update);
        this.counted();
      },
      store: this.store,
      docName: this.docName,
    };
    this.backends.subscribe(this.room, this.subscription);
  }

  publishAwareness(update: Uint8Array): void {
    if (!this.closed) this.backends.publishPresence(this.room, update);
  }

  close(): void {
    this.closed = true;
    if (this.subscription) this.backends.unsubscribe(this.room, this.subscription);
    // A room leaving memory folds what it saw, so idle rooms' streams do not linger.
    if (this.seenSinceCompaction > 0) this.compactInBackground();
  }

  private counted(): void {
    this.seenSinceCompaction++;
    if (this.seenSinceCompaction >= this.backends.compactThreshold) this.compactInBackground();
  }

  private compactInBackground(): void {
    if (this.compacting || this.backends.isClosed) return;
    this.compacting = true;
    this.seenSinceCompaction = 0;
    this.backends.track(
      this.backends
        .compact(this.room, this.docName, this.store)
        .catch((error: unknown) => this.backends.logFailure(this.room, error))
        .finally(() => (this.compacting = false)),
    );
  }
}

function fieldOf(fields: Buffer[], name: string): Uint8Array | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i]?.toString() === name) {
      const value = fields[i + 1]!;
      return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return undefined;
}
