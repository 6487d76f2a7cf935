import type * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { roomName } from '../../shared/docs';
import type { DocConnection } from '../../shared/host';
import { SyncStatusTracker } from '../../shared/sync-status';
import type { Id } from '../../shared/ids';

// How long to wait for the server before showing what the offline cache holds.
const OFFLINE_GRACE_MS = 4000;

/**
 * A doc synced with a Stratboard sync server over the y-websocket protocol, with an
 * IndexedDB copy so the last state opens offline and offline edits merge on reconnect.
 */
export function connectServerDoc(serverUrl: string, workspaceId: Id, docName: string, doc: Y.Doc, token?: string): DocConnection {
  const room = roomName(workspaceId, docName);
  // The access token travels as a query parameter: browsers can't set headers on a WebSocket.
  const provider = new WebsocketProvider(`${serverUrl.replace(/^http/, 'ws')}/sync`, room, doc, token ? { params: { token } } : {});
  const cache = new IndexeddbPersistence(`stratboard:${serverUrl}:${room}`, doc);
  const tracker = new SyncStatusTracker(provider, doc, { isLocalChange: (origin) => origin !== cache });

  // A socket can outlive the network (Wi-Fi in the hall drops): trust the browser's
  // offline signal, show it at once and reconnect when the network is back.
  const goOffline = () => {
    provider.disconnect();
    tracker.refresh();
  };
  const goOnline = () => {
    if (tracker.status().state !== 'ended') provider.connect();
  };
  window.addEventListener('offline', goOffline);
  window.addEventListener('online', goOnline);

  const whenLoaded = new Promise<void>((resolve) => {
    if (provider.synced) return resolve();
    provider.once('sync', (synced: boolean) => synced && resolve());
    void cache.whenSynced.then(() => {
      setTimeout(() => {
        if (!provider.synced) resolve();
      }, OFFLINE_GRACE_MS);
    });
  });

  return {
    whenLoaded,
    awareness: provider.awareness,
    state: () => tracker.status().state,
    unsyncedChanges: () => tracker.status().unsynced,
    onStateChange: (listener) => tracker.onChange(listener),
    destroy() {
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
      tracker.destroy();
      provider.destroy();
      void cache.destroy();
    },
  };
}
