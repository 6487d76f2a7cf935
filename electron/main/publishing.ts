import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import * as awarenessProtocol from 'y-protocols/awareness';
import { INDEX_DOC, isDocName, roomName } from '../../shared/docs';
import {
  HostError,
  type ConnectionState,
  type HostErrorCode,
  type Invite,
  type InviteInput,
  type Publication,
  type PublicationStatus,
  type SaveServerInput,
  type ServerConnection,
} from '../../shared/host';
import { newId, type Id } from '../../shared/ids';
import { inviteFor, normalizeServerUrl, syncSocketUrl } from '../../shared/links';
import { WorkspaceIndex, workspaceDocNames } from '../../shared/model';
import { SyncStatusTracker } from '../../shared/sync-status';
import { ServerApi, type IssuedToken } from './server-api';
import type { SavedPublication, SavedServer, SettingsStore } from './settings-store';
import type { AttachedPeer, WorkspacePeer, WorkspaceService } from './workspaces';

// Publishing a local workspace file to a sync server. The file stays the source: the main
// process keeps one Y.Doc per doc of the workspace, loaded from the file and joined to it
// as a peer (WorkspaceService.attachPeer, as a LAN session is), and syncs each with its
// server room through the stock y-websocket client. Commits of the app's windows reach the
// server; the server's updates are committed to the file and reach the windows. Offline,
// edits only go to the file; the reconnect's sync handshake merges both ways (CRDT).
// No `electron` import: Vitest publishes real files to a real server.

/** Seals admin keys at rest (Electron's safeStorage in the app); `open` must accept what `seal` made. */
export interface SecretCodec {
  seal(secret: string): string;
  open(sealed: string): string;
}

/** Keeps the key as it is, marked, for where no OS keychain is available (and tests). */
export const plainSecretCodec: SecretCodec = {
  seal: (secret) => `plain:${secret}`,
  open: (sealed) => {
    if (!sealed.startsWith('plain:')) throw new HostError('wrong-admin-key', 'the saved admin key was sealed by another keychain');
    return sealed.slice('plain:'.length);
  },
};

export type PublishingLogger = (message: string, context: Record<string, unknown>) => void;

export interface PublishingDeps {
  settings: Pick<
    SettingsStore,
    'listServers' | 'saveServer' | 'removeServer' | 'findPublication' | 'listPublications' | 'savePublication' | 'removePublication'
  >;
  workspaces: Pick<WorkspaceService, 'attachPeer'>;
  /** Every change of a published workspace's sync state (the app sends it to its windows). */
  onStatus(status: PublicationStatus): void;
  /** Presence from the server's other clients on a doc (an awareness update, for the app's windows). */
  onAwareness?(event: { workspaceId: Id; docName: string; update: Uint8Array }): void;
  secrets?: SecretCodec;
  log?: PublishingLogger;
  /** How long the main process's own (facilitator) tokens live; renewed at three quarters. Default 12 h. */
  mirrorTokenTtlSeconds?: number;
  /** Longest wait between reconnect attempts (websocket backoff and token renewal). Default 5 s and 30 s. */
  maxBackoffMs?: number;
  maxRetryMs?: number;
  fetch?: typeof fetch;
}

export const DEFAULT_MIRROR_TOKEN_TTL_SECONDS = 12 * 3600;
/** The name the main process's own tokens carry in the server's logs. */
export const MIRROR_TOKEN_NAME = 'Стратборд: синхронизация с файлом';

export interface PublishingService {
  listServers(): ServerConnection[];
  saveServer(input: SaveServerInput): Promise<ServerConnection>;
  /** Stops the publications that used it. */
  removeServer(id: Id): Promise<void>;
  publication(workspaceId: Id): Publication | null;
  publish(workspaceId: Id, serverId: Id): Promise<Publication>;
  unpublish(workspaceId: Id): Promise<void>;
  /** Starts syncing a workspace that was published before, once its file is open again; no-op otherwise. */
  resume(workspaceId: Id): void;
  status(workspaceId: Id): PublicationStatus | null;
  listInvites(workspaceId: Id): Invite[];
  createInvite(workspaceId: Id, input: InviteInput): Promise<Invite>;
  revokeInvite(workspaceId: Id, tokenId: string): Promise<void>;
  /** A window's own presence on a doc, passed on to the server when the workspace is published. */
  relayAwareness(workspaceId: Id, docName: string, update: Uint8Array): void;
  /** Disconnects every mirror (on quit, before the workspace files close). */
  stopAll(): void;
}

export function createPublishing(deps: PublishingDeps): PublishingService {
  const secrets = deps.secrets ?? plainSecretCodec;
  const log = deps.log ?? (() => {});
  const mirrors = new Map<Id, WorkspaceMirror>();

  const infoOf = (server: SavedServer): ServerConnection => ({ id: server.id, url: server.url, label: server.label, hasAdminKey: true });
  const serverOf = (id: Id): SavedServer => {
    const server = deps.settings.listServers().find((entry) => entry.id === id);
    if (!server) throw new HostError('not-found', `no saved server ${id}`);
    return server;
  };
  const apiOf = (server: SavedServer) => new ServerApi(server.url, secrets.open(server.sealedAdminKey), deps.fetch);
  const publicationInfo = (saved: SavedPublication): Publication | null => {
    const server = deps.settings.listServers().find((entry) => entry.id === saved.serverId);
    return server ? { workspaceId: saved.workspaceId, serverId: server.id, serverUrl: server.url, publishedAt: saved.publishedAt } : null;
  };
  const requirePublication = (workspaceId: Id): { saved: SavedPublication; server: SavedServer } => {
    const saved = deps.settings.findPublication(workspaceId);
    const server = saved && deps.settings.listServers().find((entry) => entry.id === saved.serverId);
    if (!saved || !server) throw new HostError('not-published', `workspace ${workspaceId} is not published`);
    return { saved, server };
  };

  const startMirror = (workspaceId: Id, server: SavedServer, firstToken?: IssuedToken | null): void => {
    mirrors.get(workspaceId)?.stop();
    const mirror = new WorkspaceMirror({
      workspaceId,
      workspaces: deps.workspaces,
      api: apiOf(server),
      onStatus: deps.onStatus,
      onAwareness: deps.onAwareness ?? (() => {}),
      log,
      tokenTtlSeconds: deps.mirrorTokenTtlSeconds ?? DEFAULT_MIRROR_TOKEN_TTL_SECONDS,
      maxBackoffMs: deps.maxBackoffMs ?? 5_000,
      maxRetryMs: deps.maxRetryMs ?? 30_000,
    });
    mirrors.set(workspaceId, mirror);
    mirror.start(firstToken);
  };

  const stopMirror = (workspaceId: Id): void => {
    mirrors.get(workspaceId)?.stop();
    mirrors.delete(workspaceId);
  };

  return {
    listServers: () => deps.settings.listServers().map(infoOf),

    async saveServer(input) {
      const url = normalizeServerUrl(input.url);
      if (!url) throw new HostError('invalid-server-url', input.url);
      const existing = input.id ? serverOf(input.id) : undefined;
      // The saved key goes only to the address it was entered for: a new address needs it typed again.
      const keepKey = existing !== undefined && existing.url === url;
      const adminKey = input.adminKey ?? (keepKey ? secrets.open(existing.sealedAdminKey) : undefined);
      if (!adminKey) throw new HostError('invalid-input', 'a new server connection or address needs its admin key');
      // A key the server does not take is never saved.
      await new ServerApi(url, adminKey, deps.fetch).checkAdminKey();
      const saved: SavedServer = {
        id: existing?.id ?? newId(),
        url,
        label: input.label?.trim() || existing?.label || url.replace(/^https?:\/\//, ''),
        sealedAdminKey: secrets.seal(adminKey),
      };
      await deps.settings.saveServer(saved);
      // Publications on this server continue with the new address or key.
      for (const publication of deps.settings.listPublications()) {
        if (publication.serverId === saved.id && mirrors.has(publication.workspaceId)) startMirror(publication.workspaceId, saved);
      }
      return infoOf(saved);
    },

    async removeServer(id) {
      for (const publication of deps.settings.listPublications()) {
        if (publication.serverId !== id) continue;
        stopMirror(publication.workspaceId);
        await deps.settings.removePublication(publication.workspaceId);
      }
      await deps.settings.removeServer(id);
    },

    publication(workspaceId) {
      const saved = deps.settings.findPublication(workspaceId);
      return saved ? publicationInfo(saved) : null;
    },

    async publish(workspaceId, serverId) {
      const server = serverOf(serverId);
      const api = apiOf(server);
      // Attaching first proves the file is open here (else 'not-found').
      const probe = deps.workspaces.attachPeer(workspaceId, { onCommitted: () => {} });
      let firstToken: IssuedToken | null;
      try {
        await api.publishWorkspace(workspaceId, workspaceNameOf(probe));
        firstToken = await api.issueToken(
          { workspaceId, role: 'facilitator', ttlSeconds: deps.mirrorTokenTtlSeconds ?? DEFAULT_MIRROR_TOKEN_TTL_SECONDS, name: MIRROR_TOKEN_NAME },
          true,
        );
      } finally {
        probe.detach();
      }
      const previous = deps.settings.findPublication(workspaceId);
      const saved: SavedPublication = {
        workspaceId,
        serverId,
        publishedAt: new Date().toISOString(),
        // Invites of another server open nothing here.
        invites: previous?.serverId === serverId ? previous.invites : [],
      };
      await deps.settings.savePublication(saved);
      startMirror(workspaceId, server, firstToken);
      return publicationInfo(saved)!;
    },

    async unpublish(workspaceId) {
      stopMirror(workspaceId);
      await deps.settings.removePublication(workspaceId);
    },

    resume(workspaceId) {
      if (mirrors.has(workspaceId)) return;
      const saved = deps.settings.findPublication(workspaceId);
      const server = saved && deps.settings.listServers().find((entry) => entry.id === saved.serverId);
      if (!server) return;
      try {
        startMirror(workspaceId, server);
      } catch (error) {
        log('Could not resume syncing a published workspace', { workspaceId, error });
      }
    },

    status: (workspaceId) => mirrors.get(workspaceId)?.status() ?? null,

    listInvites(workspaceId) {
      const saved = deps.settings.findPublication(workspaceId);
      return saved ? [...saved.invites].reverse() : [];
    },

    async createInvite(workspaceId, input) {
      const { saved, server } = requirePublication(workspaceId);
      const issued = await apiOf(server).issueToken({ workspaceId, role: input.role, ttlSeconds: input.ttlSeconds, ...(input.name ? { name: input.name } : {}) });
      if (!issued) throw new HostError('server-without-auth', server.url);
      const invite = inviteFor(server.url, workspaceId, input, issued);
      await deps.settings.savePublication({ ...saved, invites: [...saved.invites, invite] });
      return invite;
    },

    async revokeInvite(workspaceId, tokenId) {
      const { saved, server } = requirePublication(workspaceId);
      if (!saved.invites.some((invite) => invite.tokenId === tokenId)) throw new HostError('not-found', `no invite ${tokenId}`);
      await apiOf(server).revokeToken(tokenId);
      const latest = deps.settings.findPublication(workspaceId) ?? saved;
      await deps.settings.savePublication({
        ...latest,
        invites: latest.invites.map((invite) => (invite.tokenId === tokenId ? { ...invite, revoked: true } : invite)),
      });
    },

    relayAwareness(workspaceId, docName, update) {
      mirrors.get(workspaceId)?.relayAwareness(docName, update);
    },

    stopAll() {
      for (const mirror of mirrors.values()) mirror.stop();
      mirrors.clear();
    },
  };
}

function workspaceNameOf(attached: AttachedPeer): string {
  const index = new Y.Doc();
  try {
    attached.file.loadDoc(INDEX_DOC, index);
    return new WorkspaceIndex(index).name || attached.file.name;
  } finally {
    index.destroy();
  }
}

/** Origin of updates the workspace file committed (the app's windows, a LAN session). */
const FROM_FILE = Symbol('from-file');
/** Origin of presence the app's windows sent. */
const FROM_WINDOW = Symbol('from-window');

// The worst state of any doc is the workspace's (as in the renderer's badge).
const severity: Record<ConnectionState, number> = { online: 0, connecting: 1, syncing: 2, offline: 3, ended: 4 };

interface MirrorOptions {
  workspaceId: Id;
  workspaces: Pick<WorkspaceService, 'attachPeer'>;
  api: ServerApi;
  onStatus(status: PublicationStatus): void;
  onAwareness(event: { workspaceId: Id; docName: string; update: Uint8Array }): void;
  log: PublishingLogger;
  tokenTtlSeconds: number;
  maxBackoffMs: number;
  maxRetryMs: number;
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

interface DocMirror {
  doc: Y.Doc;
  provider: WebsocketProvider;
  tracker: SyncStatusTracker;
}

/** One published workspace: a Y.Doc and a websocket per doc, and the token they connect with. */
class WorkspaceMirror {
  private readonly docs = new Map<string, DocMirror>();
  private readonly workspaceId: Id;
  private readonly attached: AttachedPeer;
  /** undefined until the first token; null when the server runs open and takes none. */
  private token: IssuedToken | null | undefined;
  private renewing = false;
  private problem: HostErrorCode | undefined;
  private stopped = false;
  private renewTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private current: PublicationStatus;
  private stopWatchingIndex = () => {};
  private muted = false;
  /** Awareness clients that are the app's windows: their states go to the server, never back to the windows. */
  private readonly windowClients = new Set<number>();

  constructor(private readonly options: MirrorOptions) {
    this.workspaceId = options.workspaceId;
    // Throws 'not-found' when the file is not open here.
    const peer: WorkspacePeer = { onCommitted: (docName, update) => this.committedLocally(docName, update) };
    this.attached = options.workspaces.attachPeer(options.workspaceId, peer);
    this.current = { workspaceId: this.workspaceId, state: 'connecting', unsynced: 0 };
  }

  start(firstToken?: IssuedToken | null): void {
    this.options.onStatus(this.current);
    for (const docName of new Set([INDEX_DOC, ...this.attached.file.listDocs()])) this.mirror(docName);
    const index = new WorkspaceIndex(this.docs.get(INDEX_DOC)!.doc);
    const discover = () => {
      if (this.stopped) return;
      for (const docName of workspaceDocNames(index)) this.mirror(docName);
    };
    const stops = [index.boards.observe(discover), index.datasets.observe(discover)];
    this.stopWatchingIndex = () => stops.forEach((stop) => stop());
    discover();
    if (firstToken !== undefined) this.useToken(firstToken);
    else void this.renew();
    this.publish();
  }

  status(): PublicationStatus {
    return this.current;
  }

  relayAwareness(docName: string, update: Uint8Array): void {
    const mirror = this.docs.get(docName);
    if (!mirror || this.stopped) return;
    try {
      // The stock provider sends every change of its awareness to the server.
      awarenessProtocol.applyAwarenessUpdate(mirror.provider.awareness, update, FROM_WINDOW);
    } catch (error) {
      throw new HostError('invalid-input', `presence update for ${this.workspaceId}/${docName} does not decode: ${String(error)}`);
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.renewTimer);
    this.wake?.();
    this.stopWatchingIndex();
    for (const { doc, provider, tracker } of this.docs.values()) {
      tracker.destroy();
      provider.destroy();
      doc.destroy();
    }
    this.docs.clear();
    this.attached.detach();
  }

  private committedLocally(docName: string, update: Uint8Array): void {
    if (this.stopped || !isDocName(docName)) return;
    const mirror = this.docs.get(docName);
    // A doc new to the mirror loads from the file, which already holds this update.
    if (mirror) Y.applyUpdate(mirror.doc, update, FROM_FILE);
    else this.mirror(docName);
  }

  private mirror(docName: string): void {
    if (this.docs.has(docName) || this.stopped) return;
    const doc = new Y.Doc();
    this.attached.file.loadDoc(docName, doc);
    const provider = new WebsocketProvider(syncSocketUrl(this.options.api.url), roomName(this.workspaceId, docName), doc, {
      connect: false,
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      // Node has BroadcastChannel; two mirrors in one process must not talk through it.
      disableBc: true,
      maxBackoffTime: this.options.maxBackoffMs,
      params: this.params(),
    });
    // Not a participant (the UI shows only states with `user`/`member`), but a presence of its
    // own: the client renews it every 15 s and the server echoes it, which is what keeps the
    // stock client's 30 s no-message watchdog from dropping a quiet room (pings don't count).
    provider.awareness.setLocalState({ stratboardMirror: true });
    provider.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      if (origin === FROM_WINDOW) {
        for (const client of changed) this.windowClients.add(client);
        return;
      }
      const others = changed.filter((client) => client !== doc.clientID && !this.windowClients.has(client));
      if (others.length === 0) return;
      this.options.onAwareness({ workspaceId: this.workspaceId, docName, update: awarenessProtocol.encodeAwarenessUpdate(provider.awareness, others) });
    });
    const tracker = new SyncStatusTracker(provider, doc, { isLocalChange: (origin) => origin === FROM_FILE });
    tracker.onChange(() => this.publish());
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== provider) return;
      // What the server sent goes into the file and on to the windows.
      this.attached.append(docName, update).catch((error: unknown) => {
        if (!this.stopped) this.options.log('Could not store an update from the server', { workspaceId: this.workspaceId, docName, error });
      });
    });
    provider.on('connection-close', () => {
      // A token that ran out while the server was away is refused before the upgrade
      // (HTTP 401), which looks like any other failed attempt: renew it instead of retrying.
      if (this.token && this.token.expiresAt * 1000 <= Date.now() + 60_000) {
        queueMicrotask(() => provider.disconnect());
        void this.renew();
      }
    });
    provider.on('closed', (event: { code: number }) => {
      // 4401 expired or 4403 revoked while connected: a fresh token, then reconnect.
      if (event.code === 4401 || event.code === 4403) void this.renew();
    });
    this.docs.set(docName, { doc, provider, tracker });
    if (this.token !== undefined && !this.renewing) {
      provider.connect();
      tracker.refresh();
    }
  }

  private params(): Record<string, string> {
    return this.token ? { token: this.token.token } : {};
  }

  private useToken(token: IssuedToken | null): void {
    this.token = token;
    this.problem = undefined;
    const params = this.params();
    // Connecting and telling the trackers (they hear of an attempt only when it succeeds or
    // fails) happen before one status goes out, so the badge never blinks offline in between.
    this.muted = true;
    const connecting = [...this.docs.values()].filter(({ provider }) => {
      provider.params = params;
      if (provider.shouldConnect) return false;
      provider.connect();
      return true;
    });
    for (const { tracker } of connecting) tracker.refresh();
    this.muted = false;
    clearTimeout(this.renewTimer);
    if (token) {
      const lifetimeMs = token.expiresAt * 1000 - Date.now();
      // Renewed at three quarters of its life; live connections keep the old one until the
      // server closes them (4401), then reconnect with the new one.
      this.renewTimer = setTimeout(() => void this.renew(), Math.min(Math.max(lifetimeMs * 0.75, 1_000), 2 ** 31 - 1));
    }
    this.publish();
  }

  /** Makes sure the workspace is on the server and gets a new token, retrying with backoff until it works or the mirror stops. */
  private async renew(): Promise<void> {
    if (this.renewing || this.stopped) return;
    this.renewing = true;
    try {
      for (let attempt = 0; !this.stopped; attempt++) {
        try {
          // Idempotent; recreates the workspace if the server lost it (its docs sync back in).
          await this.options.api.publishWorkspace(this.workspaceId, workspaceNameOf(this.attached));
          const token = await this.options.api.issueToken({
            workspaceId: this.workspaceId,
            role: 'facilitator',
            ttlSeconds: this.options.tokenTtlSeconds,
            name: MIRROR_TOKEN_NAME,
          }, true);
          if (this.stopped) return;
          this.renewing = false;
          this.useToken(token);
          return;
        } catch (error) {
          if (this.stopped) return;
          this.problem = error instanceof HostError ? error.code : 'internal';
          this.options.log('Could not reach the server of a published workspace', { workspaceId: this.workspaceId, url: this.options.api.url, error });
          this.publish();
          await this.sleep(Math.min(1_000 * 2 ** attempt, this.options.maxRetryMs));
        }
      }
    } finally {
      this.renewing = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private publish(): void {
    if (this.stopped || this.muted) return;
    let state: ConnectionState = 'online';
    let unsynced = 0;
    for (const { tracker } of this.docs.values()) {
      const status = tracker.status();
      if (severity[status.state] > severity[state]) state = status.state;
      unsynced += status.unsynced;
    }
    if (this.token === undefined) state = this.problem ? 'offline' : 'connecting';
    const next: PublicationStatus = {
      workspaceId: this.workspaceId,
      state,
      unsynced,
      ...(this.problem && state !== 'online' ? { problem: this.problem } : {}),
    };
    const previous = this.current;
    if (previous.state === next.state && previous.unsynced === next.unsynced && previous.problem === next.problem) return;
    this.current = next;
    this.options.onStatus(next);
  }
}
