import { useSyncExternalStore } from 'react';
import type { Id } from '../../shared/ids';
import { parseWorkspaceRoute, workspaceRoute, workspaceViewRoute, type RegistryRouteFilter, type WorkspaceView } from '../../shared/links';

export type Route =
  | { view: 'home' }
  | { view: 'workspace'; workspaceId: Id; boardId?: Id; section?: WorkspaceView; filter?: RegistryRouteFilter; token?: string };

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHashRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const parsed = parseWorkspaceRoute(hash);
  if (!parsed) return { view: 'home' };
  const { view, ...rest } = parsed;
  return { view: 'workspace', ...rest, ...(view ? { section: view } : {}) };
}

export function goToWorkspace(workspaceId: Id, boardId?: Id): void {
  window.location.hash = workspaceRoute(workspaceId, boardId);
}

/** Opens a registry view (registry, candidates, map, coverage), optionally filtered. */
export function goToWorkspaceView(workspaceId: Id, view: WorkspaceView, filter?: RegistryRouteFilter): void {
  window.location.hash = workspaceViewRoute(workspaceId, view, filter);
}

export function goHome(): void {
  window.location.hash = '#/';
}
