import {
  ipcContract,
  ipcEvents,
  ipcMethods,
  type DocUpdatedEvent,
  type StratboardBridge,
} from '../../shared/ipc/contract';
import type { PublicationStatus } from '../../shared/host';

/** The few ipcRenderer calls the bridge needs; ipcRenderer itself never reaches the page. */
export interface BridgeTransport {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): void;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): void;
}

/** `window.stratboard`: one function per contract method, plus the doc-update subscription. */
export function createBridge(transport: BridgeTransport): StratboardBridge {
  const methods = Object.fromEntries(
    ipcMethods.map((method) => {
      const channel = ipcContract[method].channel;
      return [method, (payload: unknown) => transport.invoke(channel, payload)];
    }),
  );
  return {
    ...methods,
    onDocUpdated(listener: (event: DocUpdatedEvent) => void) {
      // The IPC event object carries `sender` (the ipcRenderer), so only the payload goes through.
      const forward = (_event: unknown, payload: unknown): void => listener(payload as DocUpdatedEvent);
      transport.on(ipcEvents.docUpdated, forward);
      return () => transport.removeListener(ipcEvents.docUpdated, forward);
    },
    onOpenRequested(listener: () => void) {
      const forward = (): void => listener();
      transport.on(ipcEvents.openRequested, forward);
      return () => transport.removeListener(ipcEvents.openRequested, forward);
    },
    onPublicationStatus(listener: (status: PublicationStatus) => void) {
      const forward = (_event: unknown, payload: unknown): void => listener(payload as PublicationStatus);
      transport.on(ipcEvents.publicationStatus, forward);
      return () => transport.removeListener(ipcEvents.publicationStatus, forward);
    },
  } as StratboardBridge;
}
