import { createContext, useContext } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { WorkspaceRef } from '../../../shared/host';
import type { Id } from '../../../shared/ids';
import type { WorkspaceIndex } from '../../../shared/model';

/** What the session-output tools need beyond the board: where the board lives and who is here. */
export interface SessionOutputScope {
  workspace: WorkspaceRef;
  boardId: Id;
  index: WorkspaceIndex;
  awareness: Awareness;
}

export const SessionOutputContext = createContext<SessionOutputScope | null>(null);

export function useSessionOutputScope(): SessionOutputScope | null {
  return useContext(SessionOutputContext);
}

/** Names of everyone on the board now, from the presence (awareness) states. */
export function presentNames(awareness: Awareness): string[] {
  const names: string[] = [];
  for (const state of awareness.getStates().values()) {
    const name = (state as { user?: { name?: unknown } }).user?.name;
    if (typeof name === 'string' && name.trim()) names.push(name.trim());
  }
  return names;
}
