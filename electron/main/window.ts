import { BrowserWindow, Menu } from 'electron';
import { webPreferencesFor } from './security';

/** The renderer comes from the Vite dev server during development, else from the built files. */
export type RendererEntry = { kind: 'dev-server'; url: string } | { kind: 'file'; path: string };

export function createMainWindow(entry: RendererEntry, preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'Стратборд',
    show: false,
    backgroundColor: '#f8f9fa',
    webPreferences: webPreferencesFor(preloadPath),
  });
  window.once('ready-to-show', () => window.show());
  const loading = entry.kind === 'dev-server' ? window.loadURL(entry.url) : window.loadFile(entry.path);
  loading.catch((error: unknown) => console.error('Failed to load the renderer', { entry, error }));
  return window;
}

/** macOS needs the Edit menu for clipboard shortcuts; elsewhere the window has no menu bar. */
export function installAppMenu(): void {
  if (process.platform !== 'darwin') {
    Menu.setApplicationMenu(null);
    return;
  }
  Menu.setApplicationMenu(Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]));
}
