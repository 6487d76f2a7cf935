import { createContext, useContext } from 'react';
import type { Id } from '../../../shared/ids';
import type { BoardDoc } from '../../../shared/model';

export interface BoardUi {
  board: BoardDoc;
  /** The sticky whose text is being edited in this window, if any. */
  editingId: Id | null;
  setEditingId(id: Id | null): void;
}

export const BoardContext = createContext<BoardUi | null>(null);

export function useBoardUi(): BoardUi {
  const value = useContext(BoardContext);
  if (!value) throw new Error('useBoardUi outside BoardContext');
  return value;
}
