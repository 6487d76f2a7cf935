import * as Y from 'yjs';
import { newId, type Id } from '../ids';
import { boardDocName, INDEX_DOC } from '../docs';
import { initDocMeta } from './schema-version';
import { WorkspaceIndex } from './workspace-index';
import { seedDefaultCategories } from './registry';

export interface NewWorkspaceContent {
  workspaceId: Id;
  name: string;
  firstBoardId: Id;
  /** Updates to store, in order: the index doc, then the first board's doc. */
  docs: Array<{ docName: string; update: Uint8Array }>;
}

/**
 * The initial docs of a new workspace. Created once, by whoever creates the workspace
 * (desktop main process or the sync server), so two peers never both seed it.
 */
export function createWorkspaceContent(input: { name: string; firstBoardTitle: string }): NewWorkspaceContent {
  const workspaceId = newId();
  const name = input.name.trim().slice(0, 200);
  const indexDoc = new Y.Doc();
  initDocMeta(indexDoc, 'index');
  indexDoc.transact(() => {
    indexDoc.getMap('meta').set('workspaceId', workspaceId);
    indexDoc.getMap('meta').set('name', name);
    indexDoc.getMap('meta').set('createdAt', new Date().toISOString());
  });
  const index = new WorkspaceIndex(indexDoc);
  seedDefaultCategories(index);
  const board = index.addBoard(input.firstBoardTitle.trim().slice(0, 200));

  const boardDoc = new Y.Doc();
  initDocMeta(boardDoc, 'board');

  const content = {
    workspaceId,
    name,
    firstBoardId: board.id,
    docs: [
      { docName: INDEX_DOC, update: Y.encodeStateAsUpdate(indexDoc) },
      { docName: boardDocName(board.id), update: Y.encodeStateAsUpdate(boardDoc) },
    ],
  };
  indexDoc.destroy();
  boardDoc.destroy();
  return content;
}

/** A new board's doc, stamped with its schema version. */
export function createBoardDocUpdate(): Uint8Array {
  const doc = new Y.Doc();
  initDocMeta(doc, 'board');
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** Reads the workspace's display name out of its index doc state. */
export function readWorkspaceName(indexState: Uint8Array): string {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, indexState);
    return new WorkspaceIndex(doc).name;
  } finally {
    doc.destroy();
  }
}
