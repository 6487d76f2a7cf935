import { useSyncExternalStore } from 'react';
import type { Id } from '../../shared/ids';
import { parseWorkspaceRoute, workspaceRoute } from '../../shared/links';

export type Route = { view: 'home' } | { view: 'workspace'; workspaceId: Id; boardId?: Id; token?: string };

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHashRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const parsed = parseWorkspaceRoute(hash);
  return parsed ? { view: 'workspace', ...parsed } : { view: 'home' };
}

export function goToWorkspace(workspaceId: Id, boardId?: Id): void {
  window.location.hash = workspaceRoute(workspaceId, boardId);
}

export function goHome(): void {
  window.location.hash = '#/';
}
