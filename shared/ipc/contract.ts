import { z } from 'zod';
import { idPattern } from '../ids';
import { isDocName } from '../docs';
import { exportMimeTypes, safeFileName, type ExportKind, type HostErrorCode, type LanAddress, type LanSessionInfo, type Profile, type RecentWorkspace, type Settings, type WorkspaceRef } from '../host';

// The typed IPC contract between the renderer (through the preload bridge) and the
// main process. Each method has one payload argument, validated by the main process
// with `payload`; results travel as IpcResult so errors keep their translatable code.

const workspaceId = z.string().regex(idPattern);
const docName = z.string().refine(isDocName, 'invalid doc name');
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
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: { code: HostErrorCode; detail?: string } };

/** Events the main process sends to a renderer. */
export const ipcEvents = {
  docUpdated: 'doc:updated',
  /** The OS asked to open a workspace file; the renderer answers with takeOpenRequest. */
  openRequested: 'workspace:open-requested',
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
};

/** What the preload adds to the contract's methods. */
export const bridgeEvents = ['onDocUpdated', 'onOpenRequested'] as const;

export const ipcMethods = Object.keys(ipcContract) as IpcMethod[];
