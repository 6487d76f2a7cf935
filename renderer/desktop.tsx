// Desktop entry: the renderer inside Electron, reaching the main process through the preload bridge.
import './styles';
import type { StratboardBridge } from '../shared/ipc/contract';
import { startApp } from './app/start';
import { DesktopHost } from './host/desktop-host';

declare global {
  interface Window {
    stratboard?: StratboardBridge;
  }
}

if (!window.stratboard) throw new Error('Preload bridge missing: the desktop renderer must run inside Stratboard');
void startApp(new DesktopHost(window.stratboard));
