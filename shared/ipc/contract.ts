import { z } from 'zod';
import { idPattern } from '../ids';
import { isDocName } from '../docs';
import {
  exportMimeTypes,
  safeFileName,
  type ExportKind,
  type HostErrorCode,
  type Invite,
  type LanAddress,
  type LanSessionInfo,
  type Profile,
  type Publication,
  type PublicationStatus,
  type RecentWorkspace,
  type ServerConnection,
  type Settings,
  type WorkspaceRef,
} from '../host';
import { roles } from '../roles';

// The typed IPC contract between the renderer (through the preload bridge) and the
// main process. Each method has one payload argument, validated by the main process
// with `payload`; results travel as IpcResult so errors keep their translatable code.

const workspaceId = z.string().regex(idPattern);
/** A saved server connection's id. */
const serverId = z.string().regex(idPattern);
const docName = z.string().refine(isDocName, 'invalid doc name');
const awarenessBytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes').refine((b) => b.byteLength > 0 && b.byteLength <= 64 * 1024, 'presence update empty or too large');
const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes').refine((b) => b.byteLength <= 64 * 1024 * 1024, 'update too large');

const exportKinds = Object.keys(exportMimeTypes) as [ExportKind, ...ExportKind[]];
export const exportFileSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    kind: z.enum(exportKinds),
    bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes').refine((b) => b.byteLength > 0 && b.byteLength <= 64 * 1024 * 1024, 'file empty or too large'),
  })
  .refine((file) => safeFileName(file.name, file.kind) === file.name, { message: 'unsafe file name', path: ['name'] });

export const localeSchema = z.enum(['ru', 'en']);
export const colorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/);

export const settingsPatchSchema = z.strictObject({ locale: localeSchema.optional() });
export const profilePatchSchema = z.strictObject({
  displayName: z.string().trim().min(1).max(80).optional(),
  color: colorSchema.optional(),
});

const none = z.undefined();

/** Longest invite the app offers (the server may allow less and says so). */
export const MAX_INVITE_TTL_SECONDS = 90 * 24 * 3600;

export const saveServerSchema = z.strictObject({
  id: serverId.optional(),
  // Checked by normalizeServerUrl in the main process; the renderer gets 'invalid-server-url'.
  url: z.string().trim().min(1).max(2048),
  label: z.string().trim().max(200).optional(),
  adminKey: z.string().min(1).max(1024).optional(),
});

export const inviteInputSchema = z.strictObject({
  workspaceId,
  role: z.enum(roles),
  ttlSeconds: z.number().int().min(60).max(MAX_INVITE_TTL_SECONDS),
  name: z.string().trim().min(1).max(200).optional(),
});

export const ipcContract = {
  getSettings: { channel: 'settings:get', payload: none },
  updateSettings: { channel: 'settings:update', payload: settingsPatchSchema },
  getProfile: { channel: 'profile:get', payload: none },
  updateProfile: { channel: 'profile:update', payload: profilePatchSchema },
  listRecent: { channel: 'recent:list', payload: none },
  forgetRecent: { channel: 'recent:forget', payload: z.strictObject({ id: workspaceId }) },
  createWorkspace: {
    channel: 'workspace:create',
    payload: z.strictObject({
      name: z.string().trim().min(1).max(200),
      firstBoardTitle: z.string().trim().min(1).max(200),
    }),
  },
  openWorkspaceFile: { channel: 'workspace:open-file', payload: none },
  openRecent: { channel: 'workspace:open-recent', payload: z.strictObject({ id: workspaceId }) },
  /** The next workspace file the OS asked the app to open (double-click, argv), opened; null if none. */
  takeOpenRequest: { channel: 'workspace:take-open-request', payload: none },
  loadDoc: { channel: 'doc:load', payload: z.strictObject({ workspaceId, docName }) },
  pushDocUpdate: { channel: 'doc:update', payload: z.strictObject({ workspaceId, docName, update: bytes }) },
  openExternal: { channel: 'shell:open-external', payload: z.strictObject({ url: z.string().max(2048) }) },
  /** Native save dialog for an exported file, then the write; false if the user cancelled. */
  saveFile: { channel: 'file:save-export', payload: exportFileSchema },
  lanAddresses: { channel: 'lan:addresses', payload: none },
  lanSessionCurrent: { channel: 'lan:current', payload: z.strictObject({ workspaceId }) },
  /** `address` must also be one of lanAddresses(); the main process checks. */
  lanSessionStart: { channel: 'lan:start', payload: z.strictObject({ workspaceId, address: z.ipv4() }) },
  lanSessionJoinLink: {
    channel: 'lan:join-link',
    payload: z.strictObject({ workspaceId, role: z.enum(['editor', 'viewer']) }),
  },
  lanSessionStop: { channel: 'lan:stop', payload: z.strictObject({ workspaceId }) },
  /** Saved sync servers; admin keys never come back, only `hasAdminKey`. */
  serverList: { channel: 'server:list', payload: none },
  serverSave: { channel: 'server:save', payload: saveServerSchema },
  serverRemove: { channel: 'server:remove', payload: z.strictObject({ id: serverId }) },
  publication: { channel: 'publication:get', payload: z.strictObject({ workspaceId }) },
  publish: { channel: 'publication:publish', payload: z.strictObject({ workspaceId, serverId }) },
  unpublish: { channel: 'publication:unpublish', payload: z.strictObject({ workspaceId }) },
  publicationStatus: { channel: 'publication:status-get', payload: z.strictObject({ workspaceId }) },
  inviteList: { channel: 'invite:list', payload: z.strictObject({ workspaceId }) },
  inviteCreate: { channel: 'invite:create', payload: inviteInputSchema },
  inviteRevoke: { channel: 'invite:revoke', payload: z.strictObject({ workspaceId, tokenId: z.string().min(1).max(200) }) },
  /** The window's own presence on a doc, for the app's other windows and a published workspace's server. */
  pushAwareness: { channel: 'awareness:update', payload: z.strictObject({ workspaceId, docName, update: awarenessBytes }) },
} as const;

export type IpcMethod = keyof typeof ipcContract;

export type IpcPayload<M extends IpcMethod> = z.infer<(typeof ipcContract)[M]['payload']>;

export interface IpcResults {
  getSettings: Settings;
  updateSettings: Settings;
  getProfile: Profile;
  updateProfile: Profile;
  listRecent: RecentWorkspace[];
  forgetRecent: void;
  createWorkspace: WorkspaceRef | null;
  openWorkspaceFile: WorkspaceRef | null;
  openRecent: WorkspaceRef;
  takeOpenRequest: WorkspaceRef | null;
  loadDoc: Uint8Array;
  pushDocUpdate: void;
  openExternal: boolean;
  saveFile: boolean;
  lanAddresses: LanAddress[];
  lanSessionCurrent: LanSessionInfo | null;
  lanSessionStart: LanSessionInfo;
  lanSessionJoinLink: string;
  lanSessionStop: void;
  serverList: ServerConnection[];
  serverSave: ServerConnection;
  serverRemove: void;
  publication: Publication | null;
  publish: Publication;
  unpublish: void;
  publicationStatus: PublicationStatus | null;
  inviteList: Invite[];
  inviteCreate: Invite;
  inviteRevoke: void;
  pushAwareness: void;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: { code: HostErrorCode; detail?: string } };

/** Events the main process sends to a renderer. */
export const ipcEvents = {
  docUpdated: 'doc:updated',
  /** The OS asked to open a workspace file; the renderer answers with takeOpenRequest. */
  openRequested: 'workspace:open-requested',
  /** A published workspace's sync state changed (PublicationStatus). */
  publicationStatus: 'publication:status',
  /** Presence of others on a doc (DocUpdatedEvent shape, an awareness update). */
  awarenessUpdated: 'awareness:updated',
} as const;

export interface DocUpdatedEvent {
  workspaceId: string;
  docName: string;
  update: Uint8Array;
}

/** What the preload exposes as `window.stratboard`: exactly the contract's methods. */
export type StratboardBridge = {
  [M in IpcMethod]: (payload: IpcPayload<M>) => Promise<IpcResult<IpcResults[M]>>;
} & {
  onDocUpdated(listener: (event: DocUpdatedEvent) => void): () => void;
  onOpenRequested(listener: () => void): () => void;
  onPublicationStatus(listener: (status: PublicationStatus) => void): () => void;
  onAwarenessUpdated(listener: (event: DocUpdatedEvent) => void): () => void;
};

/** What the preload adds to the contract's methods. */
export const bridgeEvents = ['onDocUpdated', 'onOpenRequested', 'onPublicationStatus', 'onAwarenessUpdated'] as const;

export const ipcMethods = Object.keys(ipcContract) as IpcMethod[];
