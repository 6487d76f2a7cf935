import type * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';
import { SESSION_ENDED_CLOSE_CODE } from './close-codes';
import type { ConnectionState } from './host';

// What the connection badge shows for a doc synced with a Stratboard server, in the
// browser edition and in the desktop app alike.
//
// "Unsynced changes" are local updates (transactions of this client, not ones that
// came from the server or from a local cache) that the server has not acknowledged.
// The y-websocket protocol has no per-update acknowledgement, so we ask for one: after
// local updates (and after every reconnect's handshake) the tracker sends a sync step 1,
// and the server answers it with a sync step 2 only once everything it received before
// on that connection is committed (sync-server/src/room.ts). Each answer acknowledges the
// updates made before its question was sent. A disconnect forgets the questions in
// flight; the reconnect's handshake sends whatever the server lacks and is followed by
// a new question.

const MESSAGE_SYNC = 0;
const SYNC_STEP_2 = 1;

export interface SyncStatus {
  state: ConnectionState;
  /** Local updates the server has not acknowledged yet. */
  unsynced: number;
}

export interface SyncStatusOptions {
  /** Whether an update with this origin is one of this client's own changes (not a cache load). */
  isLocalChange(origin: unknown): boolean;
}

export class SyncStatusTracker {
  private made = 0;
  private acknowledged = 0;
  /** For each sync step 1 in flight on this connection, how many local updates it covers. */
  private questions: number[] = [];
  /** One question of ours at a time: updates made while it is out share the next one (a drag is one question per round trip). */
  private probing = false;
  private ended = false;
  private everSynced = false;
  /** A connection attempt failed or dropped since the last sync. */
  private failed = false;
  private current: SyncStatus = { state: 'connecting', unsynced: 0 };
  private readonly listeners = new Set<(status: SyncStatus) => void>();
  private readonly stopWatching: () => void;

  constructor(
    private readonly provider: WebsocketProvider,
    private readonly doc: Y.Doc,
    private readonly options: SyncStatusOptions,
  ) {
    const handleSync = provider.messageHandlers[MESSAGE_SYNC]!;
    provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, ...rest) => {
      // Peek at the sync message type (one byte) before the stock handler reads it.
      const syncType = decoder.arr[decoder.pos];
      handleSync(encoder, decoder, ...rest);
      // rest[1] (emitSynced) is false for messages from other tabs (BroadcastChannel).
      if (syncType === SYNC_STEP_2 && rest[1]) this.answered();
    };
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin === provider || !options.isLocalChange(origin)) return;
      this.made++;
      if (provider.synced && !this.probing) {
        this.probing = true;
        // After the current task, so a burst of transactions shares one question.
        void Promise.resolve().then(() => this.probe());
      }
      this.publish();
    };
    const onStatus = ({ status }: { status: string }) => {
      // The provider's own handshake question is answered before our updates reach the server.
      this.questions = status === 'connected' ? [this.acknowledged] : [];
      this.probing = false;
      this.publish();
    };
    const onSync = (synced: boolean) => {
      if (synced) {
        this.everSynced = true;
        this.failed = false;
        this.probing = true;
        this.probe();
      }
      this.publish();
    };
    const onClosed = (event: { code: number }) => {
      if (event.code === SESSION_ENDED_CLOSE_CODE) this.ended = true;
      this.publish();
    };
    const onConnectionClose = () => {
      this.failed = true;
      this.publish();
    };
    doc.on('update', onUpdate);
    provider.on('status', onStatus);
    provider.on('sync', onSync);
    provider.on('closed', onClosed);
    provider.on('connection-close', onConnectionClose);
    provider.on('connection-error', onConnectionClose);
    this.stopWatching = () => {
      doc.off('update', onUpdate);
      provider.off('status', onStatus);
      provider.off('sync', onSync);
      provider.off('closed', onClosed);
      provider.off('connection-close', onConnectionClose);
      provider.off('connection-error', onConnectionClose);
      provider.messageHandlers[MESSAGE_SYNC] = handleSync;
    };
    this.publish();
  }

  status(): SyncStatus {
    return this.current;
  }

  onChange(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Call when the app takes the provider offline itself (provider.disconnect()). */
  refresh(): void {
    this.publish();
  }

  destroy(): void {
    this.stopWatching();
    this.listeners.clear();
  }

  private probe(): void {
    const ws = this.provider.ws;
    if (!ws || !this.provider.wsconnected || ws.readyState !== 1 || this.made === this.acknowledged) {
      this.probing = false;
      return;
    }
    this.questions.push(this.made);
    ws.send(encodeSyncStep1(this.doc));
  }

  private answered(): void {
    const covers = this.questions.shift();
    if (covers !== undefined && covers > this.acknowledged) this.acknowledged = covers;
    if (this.probing && this.questions.length === 0) this.probe();
    this.publish();
  }

  private publish(): void {
    const unsynced = this.made - this.acknowledged;
    const next: SyncStatus = { state: this.stateNow(unsynced), unsynced };
    if (next.state === this.current.state && next.unsynced === this.current.unsynced) return;
    this.current = next;
    for (const listener of this.listeners) listener(next);
  }

  private stateNow(unsynced: number): ConnectionState {
    const { provider } = this;
    if (this.ended) return 'ended';
    if (provider.wsconnected && provider.synced) return unsynced > 0 ? 'syncing' : 'online';
    if (provider.wsconnected) return this.everSynced ? 'syncing' : 'connecting';
    return this.everSynced || this.failed || !provider.shouldConnect ? 'offline' : 'connecting';
  }
}

function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}
