import { useEffect, useState, useSyncExternalStore } from 'react';
import * as Y from 'yjs';
import { docKindOf } from '../../../shared/docs';
import { HostError, type ConnectionState, type DocConnection, type WorkspaceRef } from '../../../shared/host';
import { DocSchemaError, migrateDoc } from '../../../shared/model';
import type { Id } from '../../../shared/ids';
import { useHost } from '../../app/host-context';

export type ConnectedDoc =
  | { status: 'loading' }
  | { status: 'ready'; doc: Y.Doc; connection: DocConnection }
  | { status: 'error'; error: unknown };

/** Opens one doc of the workspace through the Host, migrated to the current schema. */
export function useConnectedDoc(workspace: WorkspaceRef | null, docName: string | null): ConnectedDoc {
  const host = useHost();
  const [state, setState] = useState<ConnectedDoc>({ status: 'loading' });

  useEffect(() => {
    if (!workspace || !docName) return;
    setState({ status: 'loading' });
    const doc = new Y.Doc();
    const connection = host.connectDoc(workspace, docName, doc);
    let live = true;
    const unregister = workspaceConnections.add(workspace.id, connection);
    connection.whenLoaded
      .then(() => {
        if (!live) return;
        migrateDoc(doc, docKindOf(docName));
        setState({ status: 'ready', doc, connection });
      })
      .catch((error: unknown) => {
        if (!live) return;
        const reported = error instanceof DocSchemaError && error.code === 'newer-schema' ? new HostError('newer-schema') : error;
        setState({ status: 'error', error: reported });
      });
    return () => {
      live = false;
      unregister();
      connection.destroy();
      doc.destroy();
    };
  }, [host, workspace, docName]);

  return state;
}

export interface WorkspaceSyncStatus {
  state: ConnectionState;
  /** Local changes not yet acknowledged, summed over the workspace's open docs. */
  unsynced: number;
}

// The worst state of any open doc is the workspace's.
const severity: Record<ConnectionState, number> = { online: 0, connecting: 1, syncing: 2, offline: 3, ended: 4 };

/** The docs of each workspace open in this window, so one badge speaks for all of them. */
class WorkspaceConnections {
  private readonly open = new Map<Id, Set<DocConnection>>();
  private readonly listeners = new Set<() => void>();
  private readonly snapshots = new Map<Id, WorkspaceSyncStatus>();

  add(workspaceId: Id, connection: DocConnection): () => void {
    let set = this.open.get(workspaceId);
    if (!set) this.open.set(workspaceId, (set = new Set()));
    set.add(connection);
    const stop = connection.onStateChange(() => this.changed());
    this.changed();
    return () => {
      stop();
      set.delete(connection);
      this.changed();
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  status(workspaceId: Id): WorkspaceSyncStatus {
    let state: ConnectionState = 'online';
    let unsynced = 0;
    const connections = this.open.get(workspaceId) ?? new Set();
    if (connections.size === 0) state = 'connecting';
    for (const connection of connections) {
      const docState = connection.state();
      if (severity[docState] > severity[state]) state = docState;
      unsynced += connection.unsyncedChanges();
    }
    // The same object while nothing changed, as useSyncExternalStore requires.
    const previous = this.snapshots.get(workspaceId);
    if (previous && previous.state === state && previous.unsynced === unsynced) return previous;
    const next = { state, unsynced };
    this.snapshots.set(workspaceId, next);
    return next;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

const workspaceConnections = new WorkspaceConnections();

/** What the connection badge shows: the worst state of the workspace's open docs and their unsynced changes. */
export function useWorkspaceSyncStatus(workspaceId: Id): WorkspaceSyncStatus {
  return useSyncExternalStore(workspaceConnections.subscribe, () => workspaceConnections.status(workspaceId));
}
