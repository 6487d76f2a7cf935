import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Id } from '../../shared/ids';
import { roomName } from '../../shared/docs';
import { BroadcastFrame, CloseCode, Connection } from './connection';
import type { Logger } from './logger';
import {
  ProtocolError,
  appendsCleanly,
  appendsToDoc,
  checkUpdate,
  readClientMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  updateChangesDoc,
  type DecodedUpdate,
} from './protocol';
import type { RoomBackend } from './backend';
import type { ServerMetrics } from './metrics';

export interface RoomOptions {
  metrics: ServerMetrics;
  /** Updates that would grow the doc beyond this are refused (4413). */
  maxDocBytes: number;
  /** How long a room without connections stays in memory. */
  idleUnloadMs: number;
}

type RoomState = 'loading' | 'ready' | 'closed';

/** Updates the backend commits in one transaction (their appends share one promise). */
interface CommitGroup {
  commit: Promise<void>;
  updates: Uint8Array[];
  /** The connection each update came from, by index. */
  origins: Connection[];
  /** When the group's first update arrived (performance.now()), for the latency metrics. */
  receivedAt: number;
}

/** An update arriving this long after the previous one may take the immediate path (commitAndSendFirst). */
const QUIET_ROOM_MS = 20;

const READ_ONLY_DENIED = encodePermissionDenied('read-only: viewers cannot change the document');

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/**
 * One doc of one workspace being edited live: the Y.Doc as committed to the store,
 * its awareness, and the connections to it.
 *
 * Durability rules: the doc is loaded from the store before any sync reply; an update
 * is broadcast only after the store committed it; a sync reply that may include an
 * update still being committed waits for that commit. The RoomBackend is where
 * "the store" is: the workspace file by default, a Redis Stream when scaled out
 * (then updates other instances committed arrive through it too).
 */
export class Room {
  readonly name: string;
  private readonly doc = new Y.Doc();
  /** Origin of updates other server instances committed (delivered by the backend). */
  private readonly remote = Symbol('remote');
  /** Origin of an update applied after it was committed and sent on (the quiet-room path). */
  private readonly committedFirst = Symbol('committed-first');
  private readonly awareness = new awarenessProtocol.Awareness(this.doc);
  private readonly connections = new Set<Connection>();
  private state: RoomState = 'loading';
  private readonly queued: Array<{ connection: Connection; data: Uint8Array }> = [];
  /** Settles when the doc is loaded and every commit started so far has settled. */
  private committed: Promise<void>;
  /** Approximate encoded size: the state at load plus every update added since. */
  private docBytes = 0;
  /** When the update being applied arrived (performance.now()), for the latency metrics. */
  private receivedAt = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  /** The group whose commit has not settled yet, which updates appended now may join. */
  private openCommit: CommitGroup | null = null;
  /** Steps queued by afterCommits that have not finished. */
  private pendingSteps = 0;

  constructor(
    readonly workspaceId: Id,
    readonly docName: string,
    private readonly backend: RoomBackend,
    private readonly logger: Logger,
    private readonly onClosed: (room: Room) => void,
    private readonly options: RoomOptions,
  ) {
    this.name = roomName(workspaceId, docName);
    // The server is not a participant; it only relays other clients' presence.
    this.awareness.setLocalState(null);
    this.awareness.on('update', (change: AwarenessChange, origin: unknown) => this.relayAwareness(change, origin));
    this.committed = this.load();
  }

  join(connection: Connection): void {
    if (this.state === 'closed') {
      connection.close(CloseCode.internalError, 'room closed');
      return;
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.connections.add(connection);
    if (this.state === 'ready') this.greet(connection);
  }

  receive(connection: Connection, data: Uint8Array): void {
    if (this.state === 'loading') {
      this.queued.push({ connection, data });
      return;
    }
    if (this.state !== 'ready' || !this.connections.has(connection)) return;
    try {
      this.handle(connection, data);
    } catch (error) {
      // Thrown from a ws event handler, this would end the process.
      this.logger.error(this.context({ remoteAddress: connection.remoteAddress, err: error }), 'message handling failed');
      connection.close(CloseCode.internalError, 'internal-error');
    }
  }

  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    if (connection.awarenessClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessClients], null);
    }
    if (this.connections.size === 0 && this.state === 'ready') this.unloadWhenIdle();
  }

  /** Settles when the room has loaded and the updates received so far are committed (or failed). */
  whenCommitted(): Promise<void> {
    return this.committed;
  }

  /** Closes every connection and drops the doc from memory. */
  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.queued.length = 0;
    for (const connection of this.connections) connection.close(code, reason);
    this.connections.clear();
    this.awareness.destroy();
    this.doc.destroy();
    this.backend.close();
    this.onClosed(this);
  }

  private async load(): Promise<void> {
    try {
      await this.backend.load(this.doc);
    } catch (error) {
      this.logger.error(this.context({ err: error }), 'could not load a doc from the store');
      this.close(CloseCode.internalError, 'load-failed');
      return;
    }
    if (this.state !== 'loading') return;
    this.state = 'ready';
    this.docBytes = Y.encodeStateAsUpdate(this.doc).length;
    // Registered after loading so the stored state is not written back as new updates.
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin instanceof Connection) this.commitAndBroadcast(update, origin);
      // Already durable where it was written; only what is new here is relayed.
      else if (origin === this.remote) {
        this.docBytes += update.length;
        this.broadcast(BroadcastFrame.ofUpdate(update), null);
      }
    });
    this.backend.subscribe(
      (update) => this.applyRemoteUpdate(update),
      (update) => this.applyRemoteAwareness(update),
    );
    for (const connection of this.connections) this.greet(connection);
    const queued = this.queued.splice(0);
    for (const { connection, data } of queued) this.receive(connection, data);
    if (this.connections.size === 0) this.unloadWhenIdle();
  }

  private greet(connection: Connection): void {
    connection.send(encodeSyncStep1(this.doc));
    const clients = [...this.awareness.getStates().keys()];
    if (clients.length > 0) connection.send(encodeAwareness(this.awareness, clients));
  }

  private handle(connection: Connection, data: Uint8Array): void {
    let message;
    try {
      message = readClientMessage(data);
    } catch (error) {
      this.refuseMalformed(connection, error);
      return;
    }
    switch (message.type) {
      case 'sync-step-1': {
        const reply = encodeSyncStep2(this.doc, message.stateVector);
        // The reply may contain updates whose commit is still under way.
        this.afterCommits(() => {
          if (this.state === 'ready') connection.send(reply);
        });
        return;
      }
      case 'update': {
        const { update } = message;
        const quiet = this.isQuiet();
        // A live client's next edit to a quiet room, read in one pass (appendsCleanly)
        // instead of through Y.decodeUpdate: checked, committed and sent on at once.
        if (quiet && !connection.readOnly && this.docBytes + update.length <= this.options.maxDocBytes && appendsCleanly(this.doc, update)) {
          this.noteArrival();
          if (this.commitAndSendFirst(connection, update)) return;
        }
        let decoded: DecodedUpdate;
        try {
          decoded = checkUpdate(update);
        } catch (error) {
          this.refuseMalformed(connection, error);
          return;
        }
        if (connection.readOnly) {
          // A viewer's sync step 2 after a reconnect carries its whole delete set, so
          // only an update that would change something is answered with a refusal.
          if (updateChangesDoc(this.doc, update)) {
            this.options.metrics.reject('viewer-write');
            connection.send(READ_ONLY_DENIED);
          }
          return;
        }
        if (this.docBytes + update.length > this.options.maxDocBytes && updateChangesDoc(this.doc, update)) {
          this.options.metrics.reject('doc-too-large');
          this.logger.warn(this.context({ remoteAddress: connection.remoteAddress, docBytes: this.docBytes }), 'refusing an update: the doc is at its size limit');
          connection.close(CloseCode.docTooLarge, 'doc-too-large');
          return;
        }
        this.noteArrival();
        if (quiet && appendsToDoc(this.doc, decoded) && this.commitAndSendFirst(connection, update)) return;
        this.applyUpdate(connection, update);
        return;
      }
      case 'awareness':
        awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, connection);
        return;
      case 'query-awareness':
        connection.send(encodeAwareness(this.awareness, [...this.awareness.getStates().keys()]));
        return;
    }
  }

  private refuseMalformed(connection: Connection, error: unknown): void {
    const reason = error instanceof ProtocolError ? error.message : String(error);
    this.options.metrics.reject(error instanceof ProtocolError && error.unknownType ? 'unknown-message-type' : 'malformed-message');
    this.logger.warn(this.context({ remoteAddress: connection.remoteAddress, reason }), 'closing a connection that sent a bad message');
    connection.close(CloseCode.unsupportedData, 'malformed message');
  }

  /** Records when an update arrived, for the latency metrics and isQuiet. */
  private noteArrival(): void {
    this.receivedAt = performance.now();
  }

  /**
   * Asked as an update arrives, before noteArrival: no update for QUIET_ROOM_MS, no sync
   * reply and no commit waiting, and a store with an immediate commit, so the update may
   * take the quiet-room path. In a busy room the first frame of a burst would otherwise
   * go out alone and the rest merged after it: two messages per receiver per read, which
   * at 200 clients cut the bench's highest rate from 6,400 to 1,600 updates/s.
   */
  private isQuiet(): boolean {
    return (
      this.backend.commitIfIdle !== undefined &&
      performance.now() - this.receivedAt > QUIET_ROOM_MS &&
      this.pendingSteps === 0 &&
      this.openCommit === null
    );
  }

  /**
   * The quiet-room path for an update that only appends to the doc (appendsCleanly or
   * appendsToDoc said so: what Yjs would report as new is the update itself): commit it,
   * send it on, then apply it to the doc, all in this one callback, so nothing can read
   * the doc in between. The apply (~150 µs on a room idle for 50 ms) is then off the path
   * to the receivers, and a failed commit leaves the doc as it was. Returns false, having
   * done nothing, when the store is busy; the caller then applies the update and the
   * doc's 'update' event commits and broadcasts what Yjs reports.
   */
  private commitAndSendFirst(connection: Connection, update: Uint8Array): boolean {
    try {
      if (!this.backend.commitIfIdle!(update)) return false;
    } catch (error) {
      this.logger.error(this.context({ remoteAddress: connection.remoteAddress, err: error }), 'could not commit an update; closing the room');
      this.close(CloseCode.internalError, 'store-failed');
      return true;
    }
    const committedAt = performance.now();
    this.docBytes += update.length;
    this.broadcast(BroadcastFrame.ofUpdate(update), connection);
    const { metrics } = this.options;
    metrics.observeFanOut((performance.now() - this.receivedAt) / 1000);
    metrics.observeCommit((committedAt - this.receivedAt) / 1000);
    try {
      Y.applyUpdate(this.doc, update, this.committedFirst);
    } catch (error) {
      // Stored and sent, but the doc in memory may hold part of it: reload from the file.
      this.logger.error(this.context({ remoteAddress: connection.remoteAddress, err: error }), 'a committed update failed to apply; reloading the room');
      this.close(CloseCode.internalError, 'update-failed');
    }
    return true;
  }

  private applyUpdate(connection: Connection, update: Uint8Array): void {
    try {
      // Triggers the doc's 'update' listener (commitAndBroadcast) with only what is new
      // to the room, so a reconnecting client's known state is neither stored nor echoed.
      Y.applyUpdate(this.doc, update, connection);
    } catch (error) {
      // The update decoded but could not be integrated: the doc may hold part of it.
      this.logger.error(this.context({ remoteAddress: connection.remoteAddress, err: error }), 'an update failed to apply; reloading the room');
      this.close(CloseCode.internalError, 'update-failed');
    }
  }

  private commitAndBroadcast(update: Uint8Array, origin: Connection): void {
    this.docBytes += update.length;
    let commit: Promise<void>;
    try {
      commit = this.backend.append(update);
    } catch (error) {
      commit = Promise.reject(error);
    }
    // Committed in the same transaction as the updates before it: fanned out with them.
    const open = this.openCommit;
    if (open && open.commit === commit) {
      open.updates.push(update);
      open.origins.push(origin);
      return;
    }
    const group: CommitGroup = { commit, updates: [update], origins: [origin], receivedAt: this.receivedAt };
    this.openCommit = group;
    const { metrics } = this.options;
    let committedAt = 0;
    // Caught at once: a rejection seen only later in the chain would be "unhandled".
    const outcome = commit.then(
      () => {
        committedAt = performance.now();
        return null;
      },
      (error: unknown) => ({ error }),
    );
    this.afterCommits(async () => {
      const failure = await outcome;
      if (this.openCommit === group) this.openCommit = null;
      if (this.state !== 'ready') return;
      if (failure) {
        // The doc in memory is now ahead of the file and Yjs cannot take an update back,
        // so the room is dropped and reloaded from the file. Clients reconnect and the
        // senders' providers send their updates again in their sync step 2.
        this.logger.error(
          this.context({ remoteAddress: group.origins[0]!.remoteAddress, updates: group.updates.length, err: failure.error }),
          'could not commit an update; closing the room',
        );
        this.close(CloseCode.internalError, 'store-failed');
        return;
      }
      this.fanOut(group);
      // Observed once the receivers have their frames: the histograms cost the fan-out nothing.
      metrics.observeFanOut((performance.now() - group.receivedAt) / 1000);
      metrics.observeCommit((committedAt - group.receivedAt) / 1000);
    });
  }

  /**
   * Sends a committed group to every other connection. Several updates go out merged
   * into one message: one frame per receiver instead of one per update, which is what
   * bounds the update rate of a busy room. Nobody is sent back their own updates.
   */
  private fanOut({ updates, origins }: CommitGroup): void {
    // Merging costs about as much per update as one send (~15 µs each, measured), so
    // with a single receiver the updates go out one by one.
    if (updates.length === 1 || this.connections.size <= 2) {
      updates.forEach((update, index) => this.broadcast(BroadcastFrame.ofUpdate(update), origins[index]!));
      return;
    }
    const sender = origins[0]!;
    if (origins.every((origin) => origin === sender)) {
      this.broadcast(BroadcastFrame.ofUpdate(Y.mergeUpdates(updates)), sender);
      return;
    }
    const senders = new Set(origins);
    const everything = BroadcastFrame.ofUpdate(Y.mergeUpdates(updates));
    for (const connection of this.connections) {
      if (!senders.has(connection)) connection.sendFrame(everything);
    }
    for (const connection of senders) {
      const others = updates.filter((_, index) => origins[index] !== connection);
      if (others.length > 0) connection.send(encodeUpdate(others.length === 1 ? others[0]! : Y.mergeUpdates(others)));
    }
  }

  private applyRemoteUpdate(update: Uint8Array): void {
    if (this.state !== 'ready') return;
    try {
      Y.applyUpdate(this.doc, update, this.remote);
    } catch (error) {
      this.logger.error(this.context({ err: error }), 'an update from another instance failed to apply; reloading the room');
      this.close(CloseCode.internalError, 'update-failed');
    }
  }

  private applyRemoteAwareness(update: Uint8Array): void {
    if (this.state !== 'ready') return;
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, this.remote);
    } catch (error) {
      // Presence only: a bad one from another instance is dropped, the room goes on.
      this.logger.warn(this.context({ err: error }), 'ignoring presence from another instance that failed to apply');
    }
  }

  private broadcast(frame: BroadcastFrame, except: Connection | null): void {
    for (const connection of this.connections) if (connection !== except) connection.sendFrame(frame);
  }

  /** Runs `step` once every commit started so far has settled, in order. */
  private afterCommits(step: () => void | Promise<void>): void {
    this.pendingSteps++;
    this.committed = this.committed
      .then(step)
      .catch((error: unknown) => {
        this.logger.error(this.context({ err: error }), 'room step failed; closing the room');
        this.close(CloseCode.internalError, 'internal-error');
      })
      .then(() => {
        this.pendingSteps--;
      });
  }

  private relayAwareness({ added, updated, removed }: AwarenessChange, origin: unknown): void {
    if (origin instanceof Connection) {
      for (const client of [...added, ...updated]) origin.awarenessClients.add(client);
      for (const client of removed) origin.awarenessClients.delete(client);
    }
    // Echoed to the sender too: the stock client's 30 s watchdog counts its own
    // awareness renewals coming back as proof the connection is alive.
    const changed = [...added, ...updated, ...removed];
    const frame = BroadcastFrame.of(encodeAwareness(this.awareness, changed));
    for (const connection of this.connections) connection.sendFrame(frame);
    // Other instances' clients see this instance's presence (and its removals) too.
    if (origin !== this.remote && this.state === 'ready' && this.backend.publishAwareness) {
      this.backend.publishAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    }
  }

  private unloadWhenIdle(): void {
    this.afterCommits(() => {
      if (this.state !== 'ready' || this.connections.size > 0 || this.idleTimer) return;
      this.idleTimer = setTimeout(() => {
        this.idleTimer = null;
        if (this.state === 'ready' && this.connections.size === 0) this.close(CloseCode.normal, 'idle');
      }, this.options.idleUnloadMs);
      this.idleTimer.unref();
    });
  }

  private context(extra: Record<string, unknown>): Record<string, unknown> {
    return { workspaceId: this.workspaceId, docName: this.docName, room: this.name, ...extra };
  }
}
