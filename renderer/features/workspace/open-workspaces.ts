import type { WorkspaceRef } from '../../../shared/host';
import type { Id } from '../../../shared/ids';

// Workspaces opened in this window, so the route can find one without asking the host again.
const opened = new Map<Id, WorkspaceRef>();

export function rememberWorkspace(ref: WorkspaceRef): void {
  opened.set(ref.id, ref);
}

export function openedWorkspace(id: Id): WorkspaceRef | undefined {
  return opened.get(id);
}
