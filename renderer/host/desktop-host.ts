import * as Y from 'yjs';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import {
  HostError,
  type ConnectionState,
  type CreateWorkspaceInput,
  type DocConnection,
  type ExportFile,
  type Host,
  type Invites,
  type LanHosting,
  type Profile,
  type Publishing,
  type RecentWorkspace,
  type Settings,
  type WorkspaceRef,
} from '../../shared/host';
import type { Id } from '../../shared/ids';
import type { IpcResult, StratboardBridge } from '../../shared/ipc/contract';
import { parseJoinLink } from '../../shared/links';
import { peekAccessClaims } from '../../shared/access-token';
import { connectServerDoc } from './server-doc-connection';

/** Origin of updates that came from the main process, so they are not sent back. */
const FROM_MAIN = Symbol('from-main');

function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value;
  throw new HostError(result.error.code, result.error.detail);
}

/** The desktop host: the preload bridge to the main process and its workspace files. */
export class DesktopHost implements Host {
  readonly kind = 'desktop';

  readonly lanHosting: LanHosting;

  readonly publishing: Publishing;

  /** Invites for workspace files published from this app; the main process holds the admin key. */
  readonly invites: Invites;

  constructor(private readonly bridge: StratboardBridge) {
    this.publishing = {
      listServers: async () => unwrap(await bridge.serverList(undefined)),
      saveServer: async (input) => unwrap(await bridge.serverSave(input)),
      removeServer: async (id) => unwrap(await bridge.serverRemove({ id })),
      publication: async (workspaceId) => unwrap(await bridge.publication({ workspaceId })),
      publish: async (workspaceId, serverId) => unwrap(await bridge.publish({ workspaceId, serverId })),
      unpublish: async (workspaceId) => unwrap(await bridge.unpublish({ workspaceId })),
      status: async (workspaceId) => unwrap(await bridge.publicationStatus({ workspaceId })),
      onStatus: (listener) => bridge.onPublicationStatus(listener),
    };
    this.invites = {
      canRevoke: true,
      available: async (workspace) => workspace.location.kind === 'file' && (await this.publishing.publication(workspace.id)) !== null,
      list: async (workspace) => unwrap(await bridge.inviteList({ workspaceId: workspace.id })),
      create: async (workspace, input) => unwrap(await bridge.inviteCreate({ workspaceId: workspace.id, ...input })),
      revoke: async (workspace, tokenId) => unwrap(await bridge.inviteRevoke({ workspaceId: workspace.id, tokenId })),
    };
    this.lanHosting = {
      addresses: async () => unwrap(await bridge.lanAddresses(undefined)),
      current: async (workspaceId) => unwrap(await bridge.lanSessionCurrent({ workspaceId })),
      start: async (workspaceId, address) => unwrap(await bridge.lanSessionStart({ workspaceId, address })),
      joinLink: async (workspaceId, role) => unwrap(await bridge.lanSessionJoinLink({ workspaceId, role })),
      stop: async (workspaceId) => unwrap(await bridge.lanSessionStop({ workspaceId })),
    };
  }

  async listRecent(): Promise<RecentWorkspace[]> {
    return unwrap(await this.bridge.listRecent(undefined));
  }

  async forgetRecent(id: Id): Promise<void> {
    unwrap(await this.bridge.forgetRecent({ id }));
  }

  async createWorkspace(input: CreateWorkspaceInput): Promise<WorkspaceRef | null> {
    return unwrap(await this.bridge.createWorkspace(input));
  }

  async openWorkspaceFile(): Promise<WorkspaceRef | null> {
    return unwrap(await this.bridge.openWorkspaceFile(undefined));
  }

  async openWorkspace(id: Id): Promise<WorkspaceRef> {
    return unwrap(await this.bridge.openRecent({ id }));
  }

  async joinByLink(link: string): Promise<WorkspaceRef> {
    const parsed = parseJoinLink(link);
    if (!parsed) throw new HostError('invalid-link', link);
    let response: Response;
    try {
      response = await fetch(`${parsed.serverUrl}/api/workspaces/${parsed.workspaceId}`, {
        ...(parsed.token ? { headers: { authorization: `Bearer ${parsed.token}` } } : {}),
      });
    } catch (error) {
      throw new HostError('server-unreachable', String(error));
    }
    if (response.status === 404) throw new HostError('not-found', link);
    if (!response.ok) throw new HostError('server-unreachable', `HTTP ${response.status}`);
    const body = (await response.json()) as { id: Id; name: string };
    const role = parsed.token ? peekAccessClaims(parsed.token)?.role : undefined;
    return {
      id: body.id,
      name: body.name,
      location: { kind: 'server', serverUrl: parsed.serverUrl, ...(parsed.token ? { token: parsed.token } : {}) },
      ...(role ? { role } : {}),
    };
  }

  connectDoc(workspace: WorkspaceRef, docName: string, doc: Y.Doc): DocConnection {
    if (workspace.location.kind === 'server') {
      return connectServerDoc(workspace.location.serverUrl, workspace.id, docName, doc, workspace.location.token);
    }
    return new FileDocConnection(this.bridge, workspace.id, docName, doc);
  }

  async takeOpenRequest(): Promise<WorkspaceRef | null> {
    return unwrap(await this.bridge.takeOpenRequest(undefined));
  }

  onOpenRequested(listener: () => void): () => void {
    return this.bridge.onOpenRequested(listener);
  }

  async getSettings(): Promise<Settings> {
    return unwrap(await this.bridge.getSettings(undefined));
  }

  async updateSettings(patch: Partial<Settings>): Promise<Settings> {
    return unwrap(await this.bridge.updateSettings(patch));
  }

  async getProfile(): Promise<Profile> {
    return unwrap(await this.bridge.getProfile(undefined));
  }

  async updateProfile(patch: Partial<Profile>): Promise<Profile> {
    return unwrap(await this.bridge.updateProfile(patch));
  }

  async saveFile(file: ExportFile): Promise<boolean> {
    return unwrap(await this.bridge.saveFile(file));
  }
}

/**
 * A doc backed by the workspace file in the main process: loaded once over IPC, then
 * each local update is appended (and acknowledged after its commit); updates other
 * windows make arrive as events.
 */
class FileDocConnection implements DocConnection {
  readonly awareness: Awareness;
  readonly whenLoaded: Promise<void>;
  private current: ConnectionState = 'connecting';
  /** Local updates sent to the main process and not yet committed to the file. */
  private pending = 0;
  private readonly listeners = new Set<() => void>();
  private readonly stopEvents: () => void;

  constructor(
    private readonly bridge: StratboardBridge,
    private readonly workspaceId: Id,
    private readonly docName: string,
    private readonly doc: Y.Doc,
  ) {
    this.awareness = new Awareness(doc);
    doc.on('update', this.onLocalUpdate);
    // Presence goes through the main process to the app's other windows and, for a
    // published workspace, to the server; others' presence comes back the same way.
    this.awareness.on('update', this.onAwarenessUpdate);
    const isMine = (event: { workspaceId: string; docName: string }) => event.workspaceId === workspaceId && event.docName === docName;
    const stopDocEvents = bridge.onDocUpdated((event) => {
      if (isMine(event)) Y.applyUpdate(doc, event.update, FROM_MAIN);
    });
    const stopAwarenessEvents = bridge.onAwarenessUpdated((event) => {
      if (isMine(event)) applyAwarenessUpdate(this.awareness, event.update, FROM_MAIN);
    });
    this.stopEvents = () => {
      stopDocEvents();
      stopAwarenessEvents();
    };
    this.whenLoaded = bridge.loadDoc({ workspaceId, docName }).then((result) => {
      Y.applyUpdate(doc, unwrap(result), FROM_MAIN);
      this.setState('online');
    });
  }

  state(): ConnectionState {
    return this.current;
  }

  unsyncedChanges(): number {
    return this.pending;
  }

  onStateChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    this.doc.off('update', this.onLocalUpdate);
    this.stopEvents();
    // Others see this window leave at once rather than after the 30 s presence timeout.
    this.awareness.setLocalState(null);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.listeners.clear();
  }

  private readonly onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    const own = this.awareness.clientID;
    if (origin === FROM_MAIN || ![...added, ...updated, ...removed].includes(own)) return;
    const update = encodeAwarenessUpdate(this.awareness, [own]);
    void this.bridge.pushAwareness({ workspaceId: this.workspaceId, docName: this.docName, update });
  };

  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === FROM_MAIN) return;
    this.pending++;
    this.setState(this.current);
    void this.bridge.pushDocUpdate({ workspaceId: this.workspaceId, docName: this.docName, update }).then((result) => {
      if (result.ok) this.pending--;
      this.setState(result.ok ? 'online' : 'offline');
    });
  };

  /** Listeners re-read both the state and the pending count. */
  private setState(next: ConnectionState) {
    this.current = next;
    for (const listener of this.listeners) listener();
  }
}
