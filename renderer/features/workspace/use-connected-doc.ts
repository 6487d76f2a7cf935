import { useEffect, useState, useSyncExternalStore } from 'react';
import * as Y from 'yjs';
import { docKindOf } from '../../../shared/docs';
import { HostError, type ConnectionState, type DocConnection, type WorkspaceRef } from '../../../shared/host';
import { DocSchemaError, migrateDoc } from '../../../shared/model';
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
      connection.destroy();
      doc.destroy();
    };
  }, [host, workspace, docName]);

  return state;
}

export function useConnectionState(connection: DocConnection | null): ConnectionState {
  return useSyncExternalStore(
    (onChange) => connection?.onStateChange(onChange) ?? (() => {}),
    () => connection?.state() ?? 'connecting',
  );
}
