import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import * as decoding from 'lib0/decoding';
import { HostError, type HostErrorCode } from '../../shared/host';
import {
  ipcContract,
  type DocUpdatedEvent,
  ipcMethods,
  type IpcMethod,
  type IpcPayload,
  type IpcResult,
  type IpcResults,
} from '../../shared/ipc/contract';
import { WorkspaceFileError } from '../../shared/node/store';
import { isAllowedExternalUrl, isTrustedSender, type IpcSender } from './security';
import type { SettingsStore } from './settings-store';
import type { OpenRequests } from './open-requests';
import { saveExportFile, type ChooseExportPath } from './exports';
import type { LanHostingService } from './lan-host';
import type { PublishingService } from './publishing';
import type { ChooseOpenPath, ChooseSavePath, ViewerId, WorkspaceService } from './workspaces';

export interface IpcCaller extends IpcSender {
  /** webContents id of the renderer that called */
  id: ViewerId;
}

export interface IpcCallContext {
  caller: ViewerId;
}

export type IpcImplementation = {
  [M in IpcMethod]: (payload: IpcPayload<M>, context: IpcCallContext) => Promise<IpcResults[M]> | IpcResults[M];
};

export type IpcLogger = (message: string, context: Record<string, unknown>) => void;

export interface IpcGuardOptions {
  appOrigin: string;
  log: IpcLogger;
}

/**
 * Every IPC call passes here: sender check, then payload validation against the
 * contract, then the implementation; failures become IpcResult errors, never throws.
 */
export async function handleIpc<M extends IpcMethod>(
  method: M,
  caller: IpcCaller,
  payload: unknown,
  impl: IpcImplementation,
  options: IpcGuardOptions,
): Promise<IpcResult<IpcResults[M]>> {
  if (!isTrustedSender(caller, options.appOrigin)) {
    options.log('IPC call refused: untrusted sender', { method, frameUrl: caller.frameUrl, isMainFrame: caller.isMainFrame });
    return { ok: false, error: { code: 'forbidden' } };
  }
  const parsed = ipcContract[method].payload.safeParse(payload);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`)
      .join('; ')
      .slice(0, 500);
    return { ok: false, error: { code: 'invalid-input', detail } };
  }
  const call = impl[method] as (payload: unknown, context: IpcCallContext) => Promise<IpcResults[M]> | IpcResults[M];
  try {
    return { ok: true, value: await call(parsed.data, { caller: caller.id }) };
  } catch (error) {
    const code = hostErrorCodeOf(error);
    const detail = error instanceof Error ? error.message : String(error);
    if (code === 'internal' || code === 'io') {
      options.log(`IPC ${method} failed`, { code, ...contextOf(parsed.data), error });
    }
    return { ok: false, error: code === 'internal' ? { code } : { code, detail } };
  }
}

const storeErrorCodes: Partial<Record<string, HostErrorCode>> = {
  'not-a-workspace': 'not-a-workspace',
  damaged: 'damaged',
  'newer-schema': 'newer-schema',
  'not-found': 'not-found',
  'already-exists': 'already-exists',
  'in-use': 'in-use',
};

export function hostErrorCodeOf(error: unknown): HostErrorCode {
  if (error instanceof HostError) return error.code;
  if (error instanceof WorkspaceFileError) return storeErrorCodes[error.code] ?? 'io';
  return 'internal';
}

/** The workspace and doc a failing call was about, for the log; never the update bytes. */
function contextOf(payload: unknown): Record<string, unknown> {
  if (typeof payload !== 'object' || payload === null) return {};
  const { workspaceId, docName, id } = payload as Record<string, unknown>;
  return Object.fromEntries(Object.entries({ workspaceId, docName, id }).filter(([, value]) => value !== undefined));
}

export function callerOf(event: IpcMainInvokeEvent): IpcCaller {
  const frame = event.senderFrame;
  return { id: event.sender.id, frameUrl: frame?.url, isMainFrame: frame !== null && frame.parent === null };
}

export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle'>, impl: IpcImplementation, options: IpcGuardOptions): void {
  for (const method of ipcMethods) {
    ipcMain.handle(ipcContract[method].channel, (event, payload: unknown) =>
      handleIpc(method, callerOf(event), payload, impl, options),
    );
  }
}

export interface DesktopServices {
  settings: SettingsStore;
  workspaces: WorkspaceService;
  /** Native dialogs, parented to the calling renderer's window. */
  chooseSavePath(caller: ViewerId): ChooseSavePath;
  chooseOpenPath(caller: ViewerId): ChooseOpenPath;
  chooseExportPath(caller: ViewerId): ChooseExportPath;
  allowedExternalHosts: readonly string[];
  openExternal(url: string): Promise<void>;
  /** Files the OS asked to open (double-click, command line). */
  openRequests: Pick<OpenRequests, 'take'>;
  lanHosting: LanHostingService;
  publishing: PublishingService;
  /** Sends a window's presence on a doc to the app's other windows. */
  sendAwareness(event: DocUpdatedEvent, except: ViewerId): void;
}

/** Maps each contract method onto the desktop services. */
export function createIpcImplementation(services: DesktopServices): IpcImplementation {
  const { settings, workspaces, lanHosting, publishing } = services;
  return {
    getSettings: () => settings.getSettings(),
    updateSettings: (patch) => settings.updateSettings(patch),
    getProfile: () => settings.getProfile(),
    updateProfile: (patch) => settings.updateProfile(patch),
    listRecent: () => settings.listRecent(),
    forgetRecent: ({ id }) => settings.forgetRecent(id),
    createWorkspace: (input, { caller }) => workspaces.createWorkspace(input, services.chooseSavePath(caller)),
    openWorkspaceFile: (_none, { caller }) => workspaces.openWorkspaceFile(services.chooseOpenPath(caller)),
    openRecent: ({ id }) => workspaces.openRecent(id),
    takeOpenRequest: async () => {
      const path = services.openRequests.take();
      return path ? workspaces.openWorkspaceFile(async () => path) : null;
    },
    loadDoc: ({ workspaceId, docName }, { caller }) => workspaces.loadDoc(workspaceId, docName, caller),
    pushDocUpdate: ({ workspaceId, docName, update }, { caller }) =>
      workspaces.pushDocUpdate(workspaceId, docName, update, caller),
    openExternal: async ({ url }) => {
      if (!isAllowedExternalUrl(url, services.allowedExternalHosts)) return false;
      await services.openExternal(url);
      return true;
    },
    saveFile: (file, { caller }) => saveExportFile(file, services.chooseExportPath(caller)),
    lanAddresses: () => lanHosting.addresses(),
    lanSessionCurrent: ({ workspaceId }) => lanHosting.current(workspaceId),
    lanSessionStart: ({ workspaceId, address }) => lanHosting.start(workspaceId, address),
    lanSessionJoinLink: ({ workspaceId, role }) => lanHosting.joinLink(workspaceId, role),
    lanSessionStop: ({ workspaceId }) => lanHosting.stop(workspaceId),
    serverList: () => publishing.listServers(),
    serverSave: (input) => publishing.saveServer(input),
    serverRemove: ({ id }) => publishing.removeServer(id),
    publication: ({ workspaceId }) => publishing.publication(workspaceId),
    publish: ({ workspaceId, serverId }) => publishing.publish(workspaceId, serverId),
    unpublish: ({ workspaceId }) => publishing.unpublish(workspaceId),
    publicationStatus: ({ workspaceId }) => publishing.status(workspaceId),
    inviteList: ({ workspaceId }) => publishing.listInvites(workspaceId),
    inviteCreate: ({ workspaceId, ...input }) => publishing.createInvite(workspaceId, input),
    inviteRevoke: ({ workspaceId, tokenId }) => publishing.revokeInvite(workspaceId, tokenId),
    pushAwareness: (event, { caller }) => {
      if (!isAwarenessUpdate(event.update)) throw new HostError('invalid-input', `presence update for ${event.workspaceId}/${event.docName} does not decode`);
      publishing.relayAwareness(event.workspaceId, event.docName, event.update);
      services.sendAwareness(event, caller);
    },
  };
}

/** An awareness update as y-protocols encodes it: a count, then client id, clock and JSON state per client. */
export function isAwarenessUpdate(update: Uint8Array): boolean {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      decoding.readVarUint(decoder);
      decoding.readVarUint(decoder);
      JSON.parse(decoding.readVarString(decoder));
    }
    return !decoding.hasContent(decoder);
  } catch {
    return false;
  }
}
