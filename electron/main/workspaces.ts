import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as Y from 'yjs';
import { INDEX_DOC } from '../../shared/docs';
import { HostError, type CreateWorkspaceInput, type WorkspaceRef } from '../../shared/host';
import type { DocUpdatedEvent } from '../../shared/ipc/contract';
import { createWorkspaceContent, readWorkspaceName } from '../../shared/model/workspace';
import { WorkspaceFile } from '../../shared/node/store';
import type { SettingsStore } from './settings-store';

export const WORKSPACE_FILE_EXTENSION = '.stratboard';

/** Asks the user where to save a new workspace; null when they cancel. */
export type ChooseSavePath = (suggestedFileName: string) => Promise<string | null>;
/** Asks the user which workspace file to open; null when they cancel. */
export type ChooseOpenPath = () => Promise<string | null>;

/** A renderer (webContents id) that has loaded or edited a doc and wants its updates. */
export type ViewerId = number;

export interface WorkspaceServiceDeps {
  recent: Pick<SettingsStore, 'findRecent' | 'rememberRecent'>;
  /** Sends a doc update to one renderer. */
  broadcast(viewer: ViewerId, event: DocUpdatedEvent): void;
  /** Failures of a workspace file's background work (compaction), which has no caller. */
  onBackgroundError?: (error: Error) => void;
  /** A workspace was opened or created (again) in a window: a published one resumes syncing. */
  onOpened?: (workspaceId: string) => void;
}

export interface WorkspaceService {
  createWorkspace(input: CreateWorkspaceInput, chooseSavePath: ChooseSavePath): Promise<WorkspaceRef | null>;
  openWorkspaceFile(chooseOpenPath: ChooseOpenPath): Promise<WorkspaceRef | null>;
  openRecent(id: string): Promise<WorkspaceRef>;
  loadDoc(workspaceId: string, docName: string, viewer: ViewerId): Promise<Uint8Array>;
  /** Resolves once the update is committed; other viewers of the doc then receive it. */
  pushDocUpdate(workspaceId: string, docName: string, update: Uint8Array, sender: ViewerId): Promise<void>;
  forgetViewer(viewer: ViewerId): void;
  /**
   * Another writer of an open workspace file — a LAN session's sync server, a mirror to a
   * remote server — joins the flow of commits: it hears every update the app commits, and
   * what it appends reaches the app's windows and the other peers.
   */
  attachPeer(workspaceId: string, peer: WorkspacePeer): AttachedPeer;
  /** Flushes and closes every open workspace file (on quit). */
  close(): Promise<void>;
}

/** A writer of an open workspace file besides the app's windows. */
export interface WorkspacePeer {
  /** An update someone else committed to the file (a window or another peer). */
  onCommitted(docName: string, update: Uint8Array): void;
}

export interface AttachedPeer {
  readonly workspaceId: string;
  /** The open file, shared: the peer must not close it. */
  readonly file: WorkspaceFile;
  /** Appends an update of the peer's; once committed, the windows and other peers get it. */
  append(docName: string, update: Uint8Array): Promise<void>;
  detach(): void;
}

interface OpenWorkspace {
  file: WorkspaceFile;
  path: string;
  peers: Set<WorkspacePeer>;
}

export function createWorkspaceService(deps: WorkspaceServiceDeps): WorkspaceService {
  const open = new Map<string, OpenWorkspace>();
  const opening = new Map<string, Promise<OpenWorkspace>>();
  const viewers = new Map<string, Set<ViewerId>>();

  const refOf = (workspace: OpenWorkspace): WorkspaceRef => ({
    id: workspace.file.workspaceId,
    name: workspaceNameOf(workspace.file),
    location: { kind: 'file', path: workspace.path },
  });

  const requireOpen = (workspaceId: string): OpenWorkspace => {
    const workspace = open.get(workspaceId);
    if (!workspace) throw new HostError('not-found', `workspace ${workspaceId} is not open`);
    return workspace;
  };

  const watch = (workspaceId: string, docName: string, viewer: ViewerId): Set<ViewerId> => {
    const key = `${workspaceId}/${docName}`;
    let set = viewers.get(key);
    if (!set) viewers.set(key, (set = new Set()));
    set.add(viewer);
    return set;
  };

  const fileOptions = deps.onBackgroundError ? { onBackgroundError: deps.onBackgroundError } : {};

  const openAt = async (rawPath: string, expectedId?: string): Promise<OpenWorkspace> => {
    // The same file reached through a symlink must not be opened twice ('in-use').
    const path = await realpath(rawPath).catch(() => resolve(rawPath));
    const already = [...open.values()].find((workspace) => workspace.path === path);
    if (already) return checkId(already, expectedId);
    let pending = opening.get(path);
    if (!pending) {
      pending = openFile(path, expectedId).finally(() => opening.delete(path));
      opening.set(path, pending);
    }
    return pending.then((workspace) => checkId(workspace, expectedId));
  };

  const openFile = async (path: string, expectedId?: string): Promise<OpenWorkspace> => {
    const file = WorkspaceFile.open(path, fileOptions);
    const clash = open.get(file.workspaceId);
    const wrongFile = expectedId !== undefined && file.workspaceId !== expectedId;
    if (clash || wrongFile) {
      await file.close();
      if (wrongFile) throw new HostError('not-found', `${path} now holds workspace ${file.workspaceId}, not ${expectedId}`);
      throw new HostError('io', `workspace ${file.workspaceId} is already open from ${clash!.path}`);
    }
    const workspace = { file, path, peers: new Set<WorkspacePeer>() };
    open.set(file.workspaceId, workspace);
    return workspace;
  };

  /** Tells the windows watching the doc and every peer about a committed update, except whoever made it. */
  const relay = (workspace: OpenWorkspace, docName: string, update: Uint8Array, from: ViewerId | WorkspacePeer): void => {
    const workspaceId = workspace.file.workspaceId;
    for (const viewer of viewers.get(`${workspaceId}/${docName}`) ?? []) {
      if (viewer !== from) deps.broadcast(viewer, { workspaceId, docName, update });
    }
    for (const peer of workspace.peers) {
      if (peer !== from) peer.onCommitted(docName, update);
    }
  };

  const remember = async (workspace: OpenWorkspace): Promise<WorkspaceRef> => {
    const ref = refOf(workspace);
    await deps.recent.rememberRecent(ref);
    deps.onOpened?.(ref.id);
    return ref;
  };

  return {
    async createWorkspace(input, chooseSavePath) {
      const chosen = await chooseSavePath(suggestedFileName(input.name));
      if (!chosen) return null;
      const path = withWorkspaceExtension(resolve(chosen));
      const content = createWorkspaceContent(input);
      const file = WorkspaceFile.create(path, { workspaceId: content.workspaceId, name: content.name }, fileOptions);
      try {
        for (const doc of content.docs) await file.appendUpdate(doc.docName, doc.update);
      } catch (error) {
        await file.close();
        throw error;
      }
      const workspace = { file, path: await realpath(path).catch(() => path), peers: new Set<WorkspacePeer>() };
      open.set(file.workspaceId, workspace);
      return remember(workspace);
    },

    async openWorkspaceFile(chooseOpenPath) {
      const chosen = await chooseOpenPath();
      if (!chosen) return null;
      return remember(await openAt(chosen));
    },

    async openRecent(id) {
      const alreadyOpen = open.get(id);
      if (alreadyOpen) return remember(alreadyOpen);
      const entry = deps.recent.findRecent(id);
      if (!entry || entry.location.kind !== 'file') throw new HostError('not-found', `no recent workspace file ${id}`);
      return remember(await openAt(entry.location.path, id));
    },

    async loadDoc(workspaceId, docName, viewer) {
      const workspace = requireOpen(workspaceId);
      watch(workspaceId, docName, viewer);
      return workspace.file.encodeDocState(docName);
    },

    async pushDocUpdate(workspaceId, docName, update, sender) {
      const workspace = requireOpen(workspaceId);
      assertDecodableUpdate(update, workspaceId, docName);
      await workspace.file.appendUpdate(docName, update);
      watch(workspaceId, docName, sender);
      relay(workspace, docName, update, sender);
    },

    attachPeer(workspaceId, peer) {
      const workspace = requireOpen(workspaceId);
      workspace.peers.add(peer);
      return {
        workspaceId,
        file: workspace.file,
        async append(docName, update) {
          if (!workspace.peers.has(peer)) throw new HostError('not-found', `peer of ${workspaceId} has detached`);
          await workspace.file.appendUpdate(docName, update);
          relay(workspace, docName, update, peer);
        },
        detach: () => void workspace.peers.delete(peer),
      };
    },

    forgetViewer(viewer) {
      for (const set of viewers.values()) set.delete(viewer);
    },

    async close() {
      await Promise.allSettled(opening.values());
      const files = [...open.values()].map((workspace) => workspace.file);
      open.clear();
      viewers.clear();
      await Promise.all(files.map((file) => file.close()));
    },
  };
}

// A stored update that does not decode would make the doc unloadable for good.
function assertDecodableUpdate(update: Uint8Array, workspaceId: string, docName: string): void {
  try {
    Y.decodeUpdate(update);
  } catch (error) {
    throw new HostError('invalid-input', `update for ${workspaceId}/${docName} does not decode: ${String(error)}`);
  }
}

function checkId(workspace: OpenWorkspace, expectedId: string | undefined): OpenWorkspace {
  if (expectedId !== undefined && workspace.file.workspaceId !== expectedId) {
    throw new HostError('not-found', `${workspace.path} holds workspace ${workspace.file.workspaceId}, not ${expectedId}`);
  }
  return workspace;
}

/** The index doc is the source of truth for the name (it can be renamed there); the file header is a fallback. */
function workspaceNameOf(file: WorkspaceFile): string {
  try {
    return readWorkspaceName(file.encodeDocState(INDEX_DOC)) || file.name;
  } catch {
    return file.name;
  }
}

/** A file name the user can keep or change in the save dialog. */
export function suggestedFileName(workspaceName: string): string {
  const base = workspaceName
    .replace(/[\p{Cc}<>:"/\\|?*]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 100)
    .trim();
  return `${base || 'workspace'}${WORKSPACE_FILE_EXTENSION}`;
}

/** Some Linux save dialogs do not append the filter's extension. */
export function withWorkspaceExtension(path: string): string {
  return path.toLowerCase().endsWith(WORKSPACE_FILE_EXTENSION) ? path : `${path}${WORKSPACE_FILE_EXTENSION}`;
}
