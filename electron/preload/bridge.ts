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
  // The IPC event object carries `sender` (the ipcRenderer), so only the payload goes through.
  const subscribe =
    <T>(channel: string) =>
    (listener: (payload: T) => void) => {
      const forward = (_event: unknown, payload: unknown): void => listener(payload as T);
      transport.on(channel, forward);
      return () => transport.removeListener(channel, forward);
    };
  return {
    ...methods,
    onDocUpdated: subscribe<DocUpdatedEvent>(ipcEvents.docUpdated),
    onOpenRequested: subscribe<void>(ipcEvents.openRequested),
    onPublicationStatus: subscribe<PublicationStatus>(ipcEvents.publicationStatus),
    onAwarenessUpdated: subscribe<DocUpdatedEvent>(ipcEvents.awarenessUpdated),
  } as StratboardBridge;
}
