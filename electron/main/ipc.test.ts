import { describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { HostError } from '../../shared/host';
import { newId } from '../../shared/ids';
import { ipcContract, ipcMethods, type IpcMethod } from '../../shared/ipc/contract';
import { WorkspaceFileError } from '../../shared/node/store';
import {
  callerOf,
  createIpcImplementation,
  handleIpc,
  isAwarenessUpdate,
  registerIpcHandlers,
  type DesktopServices,
  type IpcCaller,
  type IpcImplementation,
} from './ipc';
import { appOriginOf } from './security';

const appPage = 'file:///opt/Stratboard/resources/app.asar/out/renderer/index.html';
const appOrigin = appOriginOf(appPage)!;
const appCaller: IpcCaller = { id: 7, frameUrl: `${appPage}#/home`, isMainFrame: true };
const workspaceId = newId();

function fakeImplementation(): IpcImplementation {
  const settings = { locale: 'ru' as const };
  const profile = { id: workspaceId, displayName: '', color: '#1971c2' };
  const ref = { id: workspaceId, name: 'Сессия', location: { kind: 'file' as const, path: '/a.stratboard' } };
  return {
    getSettings: vi.fn(() => settings),
    updateSettings: vi.fn((patch) => ({ ...settings, ...patch })),
    getProfile: vi.fn(() => profile),
    updateProfile: vi.fn((patch) => ({ ...profile, ...patch })),
    listRecent: vi.fn(() => []),
    forgetRecent: vi.fn(() => undefined),
    createWorkspace: vi.fn(() => ref),
    openWorkspaceFile: vi.fn(() => null),
    openRecent: vi.fn(() => ref),
    takeOpenRequest: vi.fn(() => null),
    loadDoc: vi.fn(() => new Uint8Array([1, 2, 3])),
    pushDocUpdate: vi.fn(async () => undefined),
    openExternal: vi.fn(() => false),
    saveFile: vi.fn(() => true),
    lanAddresses: vi.fn(() => [{ name: 'wlan0', address: '192.168.1.20' }]),
    lanSessionCurrent: vi.fn(() => null),
    lanSessionStart: vi.fn(() => ({ workspaceId, url: 'http://192.168.1.20:41234' })),
    lanSessionJoinLink: vi.fn(() => `http://192.168.1.20:41234/#/w/${workspaceId}`),
    lanSessionStop: vi.fn(async () => undefined),
    serverList: vi.fn(() => []),
    serverSave: vi.fn((input) => ({ id: workspaceId, url: input.url, label: 'Офис', hasAdminKey: true })),
    serverRemove: vi.fn(async () => undefined),
    publication: vi.fn(() => null),
    publish: vi.fn(({ serverId }) => ({ workspaceId, serverId, serverUrl: 'https://board.example.org', publishedAt: new Date(0).toISOString() })),
    unpublish: vi.fn(async () => undefined),
    publicationStatus: vi.fn(() => null),
    inviteList: vi.fn(() => []),
    inviteCreate: vi.fn(() => {
      throw new HostError('wrong-admin-key');
    }),
    inviteRevoke: vi.fn(async () => undefined),
    pushAwareness: vi.fn(() => undefined),
  };
}

const setup = () => {
  const impl = fakeImplementation();
  const log = vi.fn();
  const call = (method: IpcMethod, payload: unknown, caller: IpcCaller = appCaller) =>
    handleIpc(method, caller, payload, impl, { appOrigin, log });
  return { impl, log, call };
};

describe('handleIpc: sender', () => {
  it.each<[string, IpcCaller]>([
    ['another site', { id: 7, frameUrl: 'https://evil.example/', isMainFrame: true }],
    ['a subframe of the app page', { id: 7, frameUrl: appPage, isMainFrame: false }],
    ['another local file', { id: 7, frameUrl: 'file:///tmp/evil.html', isMainFrame: true }],
    ['a frame that is gone', { id: 7, frameUrl: undefined, isMainFrame: true }],
  ])('refuses %s without calling the implementation', async (_name, caller) => {
    const { impl, log, call } = setup();
    expect(await call('getSettings', undefined, caller)).toEqual({ ok: false, error: { code: 'forbidden' } });
    expect(impl.getSettings).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith('IPC call refused: untrusted sender', expect.objectContaining({ method: 'getSettings' }));
  });
});

describe('handleIpc: payload', () => {
  it.each<[string, IpcMethod, unknown]>([
    ['a payload where none is expected', 'getSettings', { locale: 'en' }],
    ['a missing payload', 'openRecent', undefined],
    ['a missing field', 'loadDoc', { workspaceId }],
    ['an extra field', 'forgetRecent', { id: workspaceId, path: '/etc/passwd' }],
    ['an extra settings key', 'updateSettings', { locale: 'en', devTools: true }],
    ['a wrong type', 'createWorkspace', { name: 42, firstBoardTitle: 'Доска' }],
    ['an unknown locale', 'updateSettings', { locale: 'de' }],
    ['a bad colour', 'updateProfile', { color: 'red' }],
    ['a blank name', 'createWorkspace', { name: '   ', firstBoardTitle: 'Доска' }],
    ['an oversized name', 'createWorkspace', { name: 'я'.repeat(201), firstBoardTitle: 'Доска' }],
    ['an oversized URL', 'openExternal', { url: `https://a.ru/${'a'.repeat(2048)}` }],
    ['a workspace id with a path in it', 'openRecent', { id: '../../../etc/pw' }],
    ['a bad doc name', 'loadDoc', { workspaceId, docName: 'index; DROP TABLE' }],
    ['an update that is not bytes', 'pushDocUpdate', { workspaceId, docName: 'index', update: [1, 2, 3] }],
    ['an array payload', 'forgetRecent', [workspaceId]],
    ['a string payload', 'openRecent', workspaceId],
    ['an export with a path in its name', 'saveFile', { name: '../../.bashrc.pdf', kind: 'pdf', bytes: new Uint8Array([1]) }],
    ['an export whose name and kind disagree', 'saveFile', { name: 'Итоги.exe', kind: 'pdf', bytes: new Uint8Array([1]) }],
    ['an export of an unknown kind', 'saveFile', { name: 'Итоги.html', kind: 'html', bytes: new Uint8Array([1]) }],
    ['an empty export', 'saveFile', { name: 'Итоги.pdf', kind: 'pdf', bytes: new Uint8Array() }],
    ['an export that is not bytes', 'saveFile', { name: 'Итоги.pdf', kind: 'pdf', bytes: 'JVBERi0=' }],
    ['a LAN address that is not IPv4', 'lanSessionStart', { workspaceId, address: '0.0.0.0; rm -rf' }],
    ['a LAN host name instead of an address', 'lanSessionStart', { workspaceId, address: 'evil.example' }],
    ['a join link for the facilitator role', 'lanSessionJoinLink', { workspaceId, role: 'facilitator' }],
    ['a server connection that tries to set the sealed key', 'serverSave', { url: 'https://a.ru', sealedAdminKey: 'plain:x' }],
    ['a server connection without an address', 'serverSave', { url: '  ', adminKey: 'k' }],
    ['an empty admin key', 'serverSave', { url: 'https://a.ru', adminKey: '' }],
    ['a server id with a path in it', 'publish', { workspaceId, serverId: '../settings.json' }],
    ['an invite for an unknown role', 'inviteCreate', { workspaceId, role: 'owner', ttlSeconds: 3600 }],
    ['an invite for ten years', 'inviteCreate', { workspaceId, role: 'viewer', ttlSeconds: 10 * 365 * 24 * 3600 }],
    ['an invite of a fraction of a second', 'inviteCreate', { workspaceId, role: 'viewer', ttlSeconds: 0.5 }],
    ['a presence update of 65 KiB', 'pushAwareness', { workspaceId, docName: 'index', update: new Uint8Array(65 * 1024) }],
    ['an empty presence update', 'pushAwareness', { workspaceId, docName: 'index', update: new Uint8Array() }],
  ])('refuses %s', async (_name, method, payload) => {
    const { impl, call } = setup();
    const result = await call(method, payload);
    expect(result).toEqual({ ok: false, error: { code: 'invalid-input', detail: expect.any(String) } });
    expect(impl[method]).not.toHaveBeenCalled();
  });

  it('refuses an update larger than 64 MiB', async () => {
    const { impl, call } = setup();
    const update = new Uint8Array(64 * 1024 * 1024 + 1);
    const result = await call('pushDocUpdate', { workspaceId, docName: 'index', update });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(impl.pushDocUpdate).not.toHaveBeenCalled();
  });

  it('passes a valid call through, with the parsed payload and the caller', async () => {
    const { impl, call } = setup();
    const update = new Uint8Array([0, 1]);
    expect(await call('pushDocUpdate', { workspaceId, docName: 'index', update })).toEqual({ ok: true, value: undefined });
    expect(impl.pushDocUpdate).toHaveBeenCalledWith({ workspaceId, docName: 'index', update }, { caller: 7 });
  });

  it('trims names before they reach the implementation', async () => {
    const { impl, call } = setup();
    await call('createWorkspace', { name: '  Весенняя сессия ', firstBoardTitle: 'Доска 1' });
    expect(impl.createWorkspace).toHaveBeenCalledWith({ name: 'Весенняя сессия', firstBoardTitle: 'Доска 1' }, { caller: 7 });
  });

  it('returns what the implementation returns', async () => {
    const { call } = setup();
    expect(await call('getSettings', undefined)).toEqual({ ok: true, value: { locale: 'ru' } });
    expect(await call('updateProfile', { displayName: 'Анна' })).toEqual({
      ok: true,
      value: { id: workspaceId, displayName: 'Анна', color: '#1971c2' },
    });
    expect(await call('loadDoc', { workspaceId, docName: 'index' })).toEqual({ ok: true, value: new Uint8Array([1, 2, 3]) });
  });
});

describe('handleIpc: errors', () => {
  const failing = (error: unknown) => {
    const { impl, log, call } = setup();
    impl.openRecent = vi.fn(() => {
      throw error;
    });
    return { log, result: call('openRecent', { id: workspaceId }) };
  };

  it.each([
    ['not-a-workspace', 'not-a-workspace'],
    ['damaged', 'damaged'],
    ['newer-schema', 'newer-schema'],
    ['not-found', 'not-found'],
    ['already-exists', 'already-exists'],
    ['in-use', 'in-use'],
    ['io', 'io'],
  ] as const)('reports a store error %s as %s', async (storeCode, hostCode) => {
    const { result } = failing(new WorkspaceFileError(storeCode, '/a.stratboard', 'boom'));
    expect(await result).toEqual({ ok: false, error: { code: hostCode, detail: expect.stringContaining('/a.stratboard') } });
  });

  it('passes a HostError code through', async () => {
    const { result } = failing(new HostError('not-found', 'no recent workspace'));
    expect(await result).toEqual({ ok: false, error: { code: 'not-found', detail: 'not-found: no recent workspace' } });
  });

  it('passes a publishing error code through, for the renderer to translate', async () => {
    const { call } = setup();
    expect(await call('inviteCreate', { workspaceId, role: 'editor', ttlSeconds: 3600 })).toEqual({
      ok: false,
      error: { code: 'wrong-admin-key', detail: 'wrong-admin-key' },
    });
  });

  it('reports anything else as internal, without details to the page, and logs it with context', async () => {
    const bug = new TypeError('cannot read properties of undefined');
    const { result, log } = failing(bug);
    expect(await result).toEqual({ ok: false, error: { code: 'internal' } });
    expect(log).toHaveBeenCalledWith('IPC openRecent failed', { code: 'internal', id: workspaceId, error: bug });
  });
});

describe('registerIpcHandlers', () => {
  it('registers one handler per contract method on its channel', () => {
    const handle = vi.fn();
    registerIpcHandlers({ handle }, fakeImplementation(), { appOrigin, log: vi.fn() });
    expect(handle.mock.calls.map(([channel]) => channel).sort()).toEqual(
      ipcMethods.map((method) => ipcContract[method].channel).sort(),
    );
  });

  it('checks the real sender frame of each call', async () => {
    const handle = vi.fn();
    const impl = fakeImplementation();
    registerIpcHandlers({ handle }, impl, { appOrigin, log: vi.fn() });
    const [, listener] = handle.mock.calls.find(([channel]) => channel === ipcContract.getSettings.channel)!;
    const event = (url: string, parent: object | null) =>
      ({ sender: { id: 3 }, senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent;

    expect(await listener(event(appPage, null), undefined)).toEqual({ ok: true, value: { locale: 'ru' } });
    expect(await listener(event(appPage, {}), undefined)).toMatchObject({ error: { code: 'forbidden' } });
  });
});

describe('isAwarenessUpdate', () => {
  it('takes what y-protocols encodes and refuses truncated or trailing bytes', async () => {
    const { Awareness, encodeAwarenessUpdate } = await import('y-protocols/awareness');
    const { Doc } = await import('yjs');
    const awareness = new Awareness(new Doc());
    awareness.setLocalState({ user: { name: 'Анна', color: '#2f9e44' } });
    const update = encodeAwarenessUpdate(awareness, [awareness.clientID]);
    awareness.destroy();
    expect(isAwarenessUpdate(update)).toBe(true);
    expect(isAwarenessUpdate(update.slice(0, -2))).toBe(false);
    expect(isAwarenessUpdate(new Uint8Array([...update, 0]))).toBe(false);
    expect(isAwarenessUpdate(new Uint8Array([1, 5, 1, 3, 0x7b, 0x7b, 0x7b]))).toBe(false);
  });
});

describe('callerOf', () => {
  it('treats a missing sender frame as untrusted', () => {
    const caller = callerOf({ sender: { id: 3 }, senderFrame: null } as unknown as IpcMainInvokeEvent);
    expect(caller).toEqual({ id: 3, frameUrl: undefined, isMainFrame: false });
  });
});

describe('createIpcImplementation: openExternal', () => {
  const services = (openExternal: DesktopServices['openExternal']) =>
    ({ allowedExternalHosts: ['stratboard.ru'], openExternal }) as unknown as DesktopServices;

  it('opens an allowed link in the system browser', async () => {
    const openExternal = vi.fn(async () => undefined);
    const impl = createIpcImplementation(services(openExternal));
    expect(await impl.openExternal({ url: 'https://stratboard.ru/help' }, { caller: 1 })).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://stratboard.ru/help');
  });

  it('refuses any other link', async () => {
    const openExternal = vi.fn(async () => undefined);
    const impl = createIpcImplementation(services(openExternal));
    expect(await impl.openExternal({ url: 'file:///etc/passwd' }, { caller: 1 })).toBe(false);
    expect(await impl.openExternal({ url: 'https://evil.example/' }, { caller: 1 })).toBe(false);
    expect(openExternal).not.toHaveBeenCalled();
  });
});
