import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { Id } from './ids';
import type { Role } from './roles';

// The one interface through which the renderer reaches the outside world.
// DesktopHost (preload bridge) and WebHost (sync server) implement it.

export type Locale = 'ru' | 'en';

export interface Settings {
  locale: Locale;
}

export interface Profile {
  /**
   * Stable id of this user on this device, made once and kept in preferences: votes are
   * keyed by it (two windows or a reconnect can't vote twice) and private stickies name it.
   */
  id: Id;
  displayName: string;
  /** CSS hex colour, e.g. '#2f9e44' */
  color: string;
}

/** Where a workspace lives: a local file (desktop) or a sync server. */
export type WorkspaceLocation =
  | { kind: 'file'; path: string }
  | { kind: 'server'; serverUrl: string; /** access token from an invite link */ token?: string };

export interface WorkspaceRef {
  id: Id;
  name: string;
  location: WorkspaceLocation;
  /**
   * What this user may do here. Absent means the owner: a local file, or a workspace
   * created on a server without auth — treated as `facilitator`.
   */
  role?: Role;
}

export interface RecentWorkspace extends WorkspaceRef {
  /** ISO timestamp of the last time it was opened */
  openedAt: string;
}

/**
 * online: everything local is acknowledged; syncing: connected, local changes not yet
 * acknowledged (or the handshake after a reconnect); offline: no connection, local
 * changes kept and merged on reconnect; ended: the host stopped the live session.
 */
export type ConnectionState = 'connecting' | 'online' | 'syncing' | 'offline' | 'ended';

export interface DocConnection {
  /** Resolves when the doc holds the stored state (local file or server). */
  readonly whenLoaded: Promise<void>;
  readonly awareness: Awareness;
  state(): ConnectionState;
  /** Local changes the server (or, for a file, the main process) has not acknowledged yet. */
  unsyncedChanges(): number;
  /** Called when the state or the number of unsynced changes changes. */
  onStateChange(listener: () => void): () => void;
  destroy(): void;
}

/** A network address of this computer that phones in the hall can reach. */
export interface LanAddress {
  /** Interface name, e.g. "wlan0", "Ethernet". */
  name: string;
  address: string;
}

/** A LAN live session the desktop app is hosting for one workspace. */
export interface LanSessionInfo {
  workspaceId: Id;
  /** The browser edition participants open, e.g. http://192.168.1.20:41234 */
  url: string;
}

/** Desktop only: hosting a live session for the room on the workspace's own file. */
export interface LanHosting {
  /** Non-internal IPv4 addresses, to choose from when there are several. */
  addresses(): Promise<LanAddress[]>;
  /** The running session of this workspace, or null. */
  current(workspaceId: Id): Promise<LanSessionInfo | null>;
  start(workspaceId: Id, address: string): Promise<LanSessionInfo>;
  /** A join link for a participant with this role (carries a token once the server signs them). */
  joinLink(workspaceId: Id, role: 'editor' | 'viewer'): Promise<string>;
  /** Disconnects every participant, who are told the session ended. */
  stop(workspaceId: Id): Promise<void>;
}

/**
 * A sync server the desktop app publishes workspaces to. The admin key stays in the
 * main process once entered: the renderer only learns that one is saved.
 */
export interface ServerConnection {
  id: Id;
  /** The server's browser edition, e.g. https://board.example.org (no trailing slash). */
  url: string;
  label: string;
  hasAdminKey: boolean;
}

export interface SaveServerInput {
  /** Absent for a new connection. */
  id?: Id;
  url: string;
  label?: string;
  /** Required for a new connection; absent keeps the saved key. */
  adminKey?: string;
}

/** A local workspace file that also syncs with a server. */
export interface Publication {
  workspaceId: Id;
  serverId: Id;
  serverUrl: string;
  /** ISO timestamp. */
  publishedAt: string;
}

/** The published workspace's sync with its server, as the connection badge shows it. */
export interface PublicationStatus {
  workspaceId: Id;
  state: ConnectionState;
  /** Local changes the server has not acknowledged yet, over all the workspace's docs. */
  unsynced: number;
  /** Why it is offline when the cause is known (a HostErrorCode, e.g. wrong-admin-key). */
  problem?: HostErrorCode;
}

/** Desktop only: publishing a local workspace file to a sync server and keeping both in sync. */
export interface Publishing {
  listServers(): Promise<ServerConnection[]>;
  /** Checks the address and the admin key with the server before saving. */
  saveServer(input: SaveServerInput): Promise<ServerConnection>;
  removeServer(id: Id): Promise<void>;
  publication(workspaceId: Id): Promise<Publication | null>;
  publish(workspaceId: Id, serverId: Id): Promise<Publication>;
  /** Stops syncing; the copy on the server stays. */
  unpublish(workspaceId: Id): Promise<void>;
  status(workspaceId: Id): Promise<PublicationStatus | null>;
  onStatus(listener: (status: PublicationStatus) => void): () => void;
}

export interface InviteInput {
  role: Role;
  ttlSeconds: number;
  /** Who the invite is for, shown in the list. */
  name?: string;
}

/** An invite link that carries a signed token of one role. */
export interface Invite {
  tokenId: string;
  role: Role;
  name?: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** ISO timestamp. */
  createdAt: string;
  link: string;
  revoked: boolean;
}

/** Issuing invite links for a workspace on a server: the desktop app for its published files, a facilitator in the browser. */
export interface Invites {
  /** Whether this workspace, opened here, can hand out invites (published, or a facilitator's token). */
  available(workspace: WorkspaceRef): Promise<boolean>;
  /** Invites issued from here, newest first. */
  list(workspace: WorkspaceRef): Promise<Invite[]>;
  create(workspace: WorkspaceRef, input: InviteInput): Promise<Invite>;
  /** Revoking needs the server's admin key: the desktop app can, a browser facilitator can't. */
  readonly canRevoke: boolean;
  revoke(workspace: WorkspaceRef, tokenId: string): Promise<void>;
}

export interface CreateWorkspaceInput {
  name: string;
  /** Title of the first board, already in the user's language. */
  firstBoardTitle: string;
}

/**
 * Errors a host reports to the UI carry a code that the renderer translates
 * (i18n key `errors.<code>`); `detail` is for logs only.
 */
export type HostErrorCode =
  | 'not-a-workspace'
  | 'damaged'
  | 'newer-schema'
  | 'not-found'
  | 'already-exists'
  | 'in-use'
  | 'io'
  | 'invalid-input'
  | 'invalid-link'
  | 'server-unreachable'
  | 'forbidden'
  /** The LAN address chosen for a live session cannot be listened on (gone, or taken). */
  | 'lan-unavailable'
  /** Not an http(s)/ws(s) address of a server (publishing). */
  | 'invalid-server-url'
  /** The server refused the saved admin key. */
  | 'wrong-admin-key'
  /** Something answered at the address, but not a Stratboard sync server. */
  | 'not-a-sync-server'
  /** The server runs without access control, so it issues no invites. */
  | 'server-without-auth'
  /** The workspace is not published to a server (or the server connection was removed). */
  | 'not-published'
  /** The invite's expiry is longer than the server allows. */
  | 'invite-ttl-too-long'
  | 'internal';

export class HostError extends Error {
  constructor(
    readonly code: HostErrorCode,
    readonly detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'HostError';
  }
}

/** The role a workspace grants its user in this window (see WorkspaceRef.role). */
export function roleOf(workspace: WorkspaceRef): Role {
  return workspace.role ?? 'facilitator';
}

export interface Host {
  readonly kind: 'desktop' | 'web';
  /** Present in the desktop app only. */
  readonly lanHosting?: LanHosting;
  /** Present in the desktop app only. */
  readonly publishing?: Publishing;
  readonly invites?: Invites;
  listRecent(): Promise<RecentWorkspace[]>;
  forgetRecent(id: Id): Promise<void>;
  /** Desktop: asks where to save the file; resolves null if the user cancels. */
  createWorkspace(input: CreateWorkspaceInput): Promise<WorkspaceRef | null>;
  /** Desktop: native open dialog; web: not offered (null). */
  openWorkspaceFile(): Promise<WorkspaceRef | null>;
  /**
   * Opens a workspace this host knows by id (recent list, or the server it serves);
   * `token` is the access token of an invite link that routed here.
   */
  openWorkspace(id: Id, token?: string): Promise<WorkspaceRef>;
  /** Resolves an invite/join link (http(s) URL of a sync server workspace). */
  joinByLink(link: string): Promise<WorkspaceRef>;
  /** Binds `doc` to its stored/synced state; the caller owns `doc`. */
  connectDoc(workspace: WorkspaceRef, docName: string, doc: Y.Doc): DocConnection;
  /** A workspace the OS asked the app to open (double-clicked file), opened; null if none waits. */
  takeOpenRequest(): Promise<WorkspaceRef | null>;
  /** Calls back when the OS asks to open a workspace; answer with takeOpenRequest. */
  onOpenRequested(listener: () => void): () => void;
  getSettings(): Promise<Settings>;
  updateSettings(patch: Partial<Settings>): Promise<Settings>;
  getProfile(): Promise<Profile>;
  updateProfile(patch: Partial<Profile>): Promise<Profile>;
  /**
   * Hands a generated file (an exported summary) to the user. Desktop: a native save
   * dialog, then the file is written; web: a browser download. Resolves false if the
   * user cancels the dialog.
   */
  saveFile(file: ExportFile): Promise<boolean>;
}

/** The kinds of file the app exports, by MIME type. */
export const exportMimeTypes = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;
export type ExportKind = keyof typeof exportMimeTypes;

export interface ExportFile {
  /** Suggested file name with its extension, e.g. «Итоги — Доска 1.pdf». */
  name: string;
  kind: ExportKind;
  bytes: Uint8Array;
}

/** A file name safe on Windows, macOS and Linux: no path separators, reserved or control characters. */
export function safeFileName(name: string, kind: ExportKind): string {
  const base = name
    .replace(/\.(docx|pdf)$/i, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f<>:"/\\|?*]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .slice(0, 120)
    .trim();
  return `${base || 'export'}.${kind}`;
}
