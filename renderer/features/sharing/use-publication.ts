import { useCallback, useEffect, useState } from 'react';
import type { Publication, PublicationStatus, Publishing, WorkspaceRef } from '../../../shared/host';
import { useHost } from '../../app/host-context';
import type { WorkspaceSyncStatus } from '../workspace/use-connected-doc';

export interface PublicationState {
  /** Absent where the host can't publish (the browser edition) or the workspace is not a local file. */
  publishing?: Publishing;
  publication: Publication | null;
  /** The mirror's sync with the server, from the main process's events. */
  status: PublicationStatus | null;
  /** Re-reads the publication after publishing or unpublishing. */
  refresh(): void;
}

/** Whether a local workspace file is published, and how its sync with the server stands. */
export function usePublication(workspace: WorkspaceRef): PublicationState {
  const host = useHost();
  const publishing = workspace.location.kind === 'file' ? host.publishing : undefined;
  const [publication, setPublication] = useState<Publication | null>(null);
  const [status, setStatus] = useState<PublicationStatus | null>(null);
  const workspaceId = workspace.id;

  const refresh = useCallback(() => {
    if (!publishing) return;
    publishing.publication(workspaceId).then(setPublication, () => setPublication(null));
    publishing.status(workspaceId).then(setStatus, () => setStatus(null));
  }, [publishing, workspaceId]);

  useEffect(() => {
    if (!publishing) return;
    refresh();
    return publishing.onStatus((next) => {
      if (next.workspaceId === workspaceId) setStatus(next);
    });
  }, [publishing, workspaceId, refresh]);

  return { ...(publishing ? { publishing } : {}), publication, status, refresh };
}

/**
 * What the badge shows for a workspace file: its own saving state, or, once published and
 * saving works, the sync with the server plus the window's changes not yet in the file.
 */
export function badgeStatus(local: WorkspaceSyncStatus, published: PublicationState): { status: WorkspaceSyncStatus; isFile: boolean } {
  const server = published.publication ? published.status : null;
  if (!server || local.state === 'offline') return { status: local, isFile: true };
  return { status: { state: server.state, unsynced: server.unsynced + local.unsynced }, isFile: false };
}
