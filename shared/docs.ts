import { idPattern, type Id } from './ids';

// A workspace is a set of Yjs docs, each synced and stored on its own.
// Doc names: 'index', 'board-<id>', 'dataset-<id>'.
export type DocKind = 'index' | 'board' | 'dataset';

export const INDEX_DOC = 'index';

export function boardDocName(boardId: Id): string {
  return `board-${boardId}`;
}

export function datasetDocName(datasetId: Id): string {
  return `dataset-${datasetId}`;
}

const docNamePattern = new RegExp(`^(index|(board|dataset)-${idPattern.source.slice(1, -1)})$`);

export function isDocName(value: unknown): value is string {
  return typeof value === 'string' && docNamePattern.test(value);
}

export function docKindOf(docName: string): DocKind {
  if (docName === INDEX_DOC) return 'index';
  if (docName.startsWith('board-')) return 'board';
  if (docName.startsWith('dataset-')) return 'dataset';
  throw new Error(`Unknown doc name: ${docName}`);
}

// A sync-server room is one doc of one workspace: '<workspaceId>/<docName>'.
export function roomName(workspaceId: Id, docName: string): string {
  return `${workspaceId}/${docName}`;
}

export function parseRoomName(room: string): { workspaceId: Id; docName: string } | null {
  const slash = room.indexOf('/');
  if (slash < 0) return null;
  const workspaceId = room.slice(0, slash);
  const docName = room.slice(slash + 1);
  if (!idPattern.test(workspaceId) || !isDocName(docName)) return null;
  return { workspaceId, docName };
}
