import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Why the server refused a request, a message or a connection (the `reason` label). */
export type RejectionReason =
  | 'bad-room-name'
  | 'unknown-workspace'
  | 'token-required'
  | 'token-malformed'
  | 'token-bad-signature'
  | 'token-expired'
  | 'token-revoked'
  | 'wrong-workspace'
  | 'too-many-connections'
  | 'shutting-down'
  | 'message-too-big'
  | 'text-message'
  | 'malformed-message'
  | 'unknown-message-type'
  | 'message-rate'
  | 'byte-rate'
  | 'doc-too-large'
  | 'viewer-write'
  | 'slow-consumer'
  | 'keepalive-timeout'
  | 'expired-while-connected'
  | 'revoked-while-connected';

const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * The server's Prometheus metrics, in a registry of its own (several servers can run
 * in one process). Per-message counts are plain numbers read at scrape time, so the
 * hot path only adds.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  messagesIn = 0;
  messagesOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  private readonly rejections: Counter<'reason'>;
  private readonly commitSeconds: Histogram;
  private readonly fanOutSeconds: Histogram;
  private readonly compactionSeconds: Histogram;
  private readonly walSyncSeconds: Histogram;

  constructor(sources: { connections: () => number; rooms: () => number }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'stratboard_connections',
      help: 'Open websocket connections.',
      registers,
      collect() {
        this.set(sources.connections());
      },
    });
    new Gauge({
      name: 'stratboard_rooms',
      help: 'Rooms (docs) loaded in memory.',
      registers,
      collect() {
        this.set(sources.rooms());
      },
    });
    const counted = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    counted('stratboard_messages_received_total', 'Websocket messages received from clients.', () => this.messagesIn);
    counted('stratboard_messages_sent_total', 'Websocket messages sent to clients.', () => this.messagesOut);
    counted('stratboard_received_bytes_total', 'Bytes of websocket messages received.', () => this.bytesIn);
    counted('stratboard_sent_bytes_total', 'Bytes of websocket messages sent.', () => this.bytesOut);
    this.rejections = new Counter({
      name: 'stratboard_rejections_total',
      help: 'Requests, messages and connections refused or dropped, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.commitSeconds = new Histogram({
      name: 'stratboard_commit_duration_seconds',
      help: 'From receiving an update to the store confirming it is durable.',
      buckets: latencyBuckets,
      registers,
    });
    this.fanOutSeconds = new Histogram({
      name: 'stratboard_fanout_duration_seconds',
      help: 'From receiving an update to handing it to every other connection of the room.',
      buckets: latencyBuckets,
      registers,
    });
    this.compactionSeconds = new Histogram({
      name: 'stratboard_compaction_duration_seconds',
      help: 'Background compactions of a doc in the store.',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
      registers,
    });
    this.walSyncSeconds = new Histogram({
      name: 'stratboard_wal_sync_duration_seconds',
      help: 'Background syncs of a workspace file\'s write-ahead log to disk (durability "process" only).',
      buckets: latencyBuckets,
      registers,
    });
  }

  reject(reason: RejectionReason): void {
    this.rejections.inc({ reason });
  }

  observeCommit(seconds: number): void {
    this.commitSeconds.observe(seconds);
  }

  observeFanOut(seconds: number): void {
    this.fanOutSeconds.observe(seconds);
  }

  observeCompaction(seconds: number): void {
    this.compactionSeconds.observe(seconds);
  }

  observeWalSync(seconds: number): void {
    this.walSyncSeconds.observe(seconds);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
