import type { Registry } from 'prom-client';
import type * as Y from 'yjs';
import type { Id } from '../../shared/ids';
import type { WorkspaceStore } from './workspaces';

/** Where a room lives: its workspace, its doc, and the workspace's store. */
export interface RoomAddress {
  workspaceId: Id;
  docName: string;
  /** The room name on the wire, `<workspaceId>/<docName>`. */
  room: string;
  store: WorkspaceStore;
}

/**
 * How one room persists updates and hears of updates written elsewhere. The room
 * applies what `load` gives it before its first sync reply, broadcasts an update only
 * after `append` resolved, and applies (then relays) what `onRemoteUpdate` delivers.
 */
export interface RoomBackend {
  /** Applies the room's durable state to `doc` (with an origin that is not a Connection). */
  load(doc: Y.Doc): Promise<void>;
  /**
   * Resolves once the update is durable (and visible to every other server instance).
   * Appends committed in one transaction return the same promise; the room then fans
   * them out as one merged update.
   */
  append(update: Uint8Array): Promise<void>;
  /**
   * The fast path of an idle store: commits the update before returning and returns
   * true (throws if the commit fails), so the room broadcasts it in the same callback.
   * Returns false, storing nothing, when the store is busy or has no such path; the
   * room then uses `append`, which groups. Optional (the Redis backend has none).
   */
  commitIfIdle?(update: Uint8Array): boolean;
  /**
   * Updates other server instances committed after `load`, in order, and presence
   * (awareness updates) of their clients. Called once, right after a successful load.
   * Single-node backends never call either.
   */
  subscribe(onRemoteUpdate: (update: Uint8Array) => void, onRemoteAwareness: (update: Uint8Array) => void): void;
  /** Presence changes on this instance, for the others: best effort, never stored. */
  publishAwareness?(update: Uint8Array): void;
  /** The room left memory: stop delivering updates. Pending appends still settle. */
  close(): void;
}

/** The server's metrics, which a backend may add its own to. */
export interface BackendMetrics {
  readonly registry: Registry;
  observeCompaction(seconds: number): void;
}

/** Opens the backend of each room; one per server. */
export interface RoomBackends {
  open(address: RoomAddress): RoomBackend;
  /** Called once by the server with its metrics. */
  attachMetrics?(metrics: BackendMetrics): void;
  /** The server is shutting down and its rooms are closed. */
  close(): Promise<void>;
}

/**
 * The embedded default: the workspace's own store (the SQLite file, or PostgreSQL
 * when configured) holds every update; there is no other instance to hear from.
 */
export const storeRoomBackends: RoomBackends = {
  open: ({ docName, store }) => new StoreRoomBackend(docName, store),
  close: () => Promise.resolve(),
};

// A class rather than an object of closures: one small object per room (rooms are many).
class StoreRoomBackend implements RoomBackend {
  constructor(
    private readonly docName: string,
    private readonly store: WorkspaceStore,
  ) {}

  async load(doc: Y.Doc): Promise<void> {
    await this.store.loadDoc(this.docName, doc);
  }

  append(update: Uint8Array): Promise<void> {
    return this.store.appendUpdate(this.docName, update);
  }

  commitIfIdle(update: Uint8Array): boolean {
    return this.store.commitUpdateIfIdle?.(this.docName, update) ?? false;
  }

  subscribe(): void {}

  close(): void {}
}
