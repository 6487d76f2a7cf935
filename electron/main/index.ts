import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, shell, webContents } from 'electron';
import { ipcEvents } from '../../shared/ipc/contract';
import { workspaceDialogs } from './dialogs';
import { createIpcImplementation, registerIpcHandlers } from './ipc';
import { appOriginOf, hardenSession, hardenWebContents } from './security';
import { openSettingsStore } from './settings-store';
import { OpenRequests, workspacePathsFromArgv } from './open-requests';
import { createMainWindow, installAppMenu, type RendererEntry } from './window';
import { createWorkspaceService, type WorkspaceService } from './workspaces';
import { createLanHosting, type LanHostingService } from './lan-host';
import { createPublishing, plainSecretCodec, type PublishingService, type SecretCodec } from './publishing';

// Links the app may hand to the system browser; empty until a feature needs one.
const allowedExternalHosts: readonly string[] = [];

// A packaged app never takes its page from the environment.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const rendererEntry: RendererEntry = devServerUrl
  ? { kind: 'dev-server', url: devServerUrl }
  : { kind: 'file', path: fileURLToPath(new URL('../renderer/index.html', import.meta.url)) };
const appOrigin = appOriginOf(rendererEntry.kind === 'dev-server' ? rendererEntry.url : pathToFileURL(rendererEntry.path).href);
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
// The browser edition that LAN session participants load, built beside the app.
const webEditionDir = fileURLToPath(new URL('../web', import.meta.url));

app.setName('Stratboard');
app.setPath('userData', process.env.STRATBOARD_USER_DATA_DIR ?? join(app.getPath('appData'), 'Stratboard'));
app.enableSandbox();

if (!appOrigin) throw new Error(`Cannot serve the renderer from ${JSON.stringify(rendererEntry)}`);
if (app.requestSingleInstanceLock()) start(appOrigin);
else app.quit();

function start(appOrigin: string): void {
  let workspaces: WorkspaceService | undefined;
  let lanHosting: LanHostingService | undefined;
  let publishing: PublishingService | undefined;
  let mainWindow: BrowserWindow | undefined;
  const log = (message: string, context: Record<string, unknown>): void => console.error(message, context);
  const openRequests = new OpenRequests();
  openRequests.push(workspacePathsFromArgv(process.argv.slice(1), process.cwd()));
  const announceOpenRequest = (): void => {
    if (mainWindow && !mainWindow.webContents.isDestroyed()) mainWindow.webContents.send(ipcEvents.openRequested);
  };

  const openWindow = (): void => {
    mainWindow = createMainWindow(rendererEntry, preloadPath);
    mainWindow.on('closed', () => (mainWindow = undefined));
  };

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, {
      appOrigin,
      allowedExternalHosts,
      openExternal: (url) => void shell.openExternal(url).catch((error: unknown) => log('openExternal failed', { url, error })),
    });
    const viewer = contents.id;
    contents.once('destroyed', () => workspaces?.forgetViewer(viewer));
  });

  // macOS hands a double-clicked file over this event, possibly before 'ready'.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (openRequests.push([path])) announceOpenRequest();
  });

  app.on('second-instance', (_event, argv, workingDirectory) => {
    if (openRequests.push(workspacePathsFromArgv(argv.slice(1), workingDirectory))) announceOpenRequest();
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) openWindow();
  });

  // Workspace files flush their pending commits before the process exits.
  let flushed = false;
  app.on('will-quit', (event) => {
    if (flushed || !workspaces) return;
    event.preventDefault();
    const openWorkspaces = workspaces;
    // Participants are told the session ended, and mirrors to servers stop, before the files close.
    publishing?.stopAll();
    (lanHosting?.stopAll() ?? Promise.resolve())
      .then(() => openWorkspaces.close())
      .catch((error: unknown) => log('Closing workspace files failed', { error }))
      .finally(() => {
        flushed = true;
        app.quit();
      });
  });

  app
    .whenReady()
    .then(async () => {
      hardenSession(session.defaultSession, { appOrigin, sendContentSecurityPolicy: rendererEntry.kind === 'file' });
      installAppMenu();
      const settings = await openSettingsStore(app.getPath('userData'), {
        onRecovered: (backupPath, reason) => log('Settings file was damaged; defaults restored', { backupPath, reason }),
      });
      workspaces = createWorkspaceService({
        recent: settings,
        broadcast: (viewer, event) => {
          const target = webContents.fromId(viewer);
          if (target && !target.isDestroyed()) target.send(ipcEvents.docUpdated, event);
        },
        onOpened: (workspaceId) => publishing?.resume(workspaceId),
      });
      lanHosting = createLanHosting({ workspaces, staticDir: webEditionDir });
      publishing = createPublishing({
        settings,
        workspaces,
        secrets: osKeychainCodec(),
        log,
        onStatus: (status) => sendToWindows(ipcEvents.publicationStatus, status),
        onAwareness: (event) => sendToWindows(ipcEvents.awarenessUpdated, event),
      });
      registerIpcHandlers(
        ipcMain,
        createIpcImplementation({
          settings,
          workspaces,
          ...workspaceDialogs(() => settings.getSettings().locale),
          allowedExternalHosts,
          openExternal: (url) => shell.openExternal(url),
          openRequests,
          lanHosting,
          publishing,
          sendAwareness: (event, except) => sendToWindows(ipcEvents.awarenessUpdated, event, except),
        }),
        { appOrigin, log },
      );
      openWindow();
    })
    .catch((error: unknown) => {
      log('Stratboard failed to start', { error });
      dialog.showErrorBox('Стратборд', String(error));
      app.exit(1);
    });
}

/** Admin keys of saved servers sealed by the OS keychain (safeStorage) where there is one. */
function osKeychainCodec(): SecretCodec {
  if (!safeStorage.isEncryptionAvailable()) return plainSecretCodec;
  return {
    seal: (secret) => `safe:${safeStorage.encryptString(secret).toString('base64')}`,
    open: (sealed) =>
      sealed.startsWith('safe:') ? safeStorage.decryptString(Buffer.from(sealed.slice('safe:'.length), 'base64')) : plainSecretCodec.open(sealed),
  };
}

/** An event to every window of the app (each filters by workspace and doc), but the one that caused it. */
function sendToWindows(channel: string, payload: unknown, except?: number): void {
  for (const window of BrowserWindow.getAllWindows()) {
    const contents = window.webContents;
    if (!contents.isDestroyed() && contents.id !== except) contents.send(channel, payload);
  }
}
