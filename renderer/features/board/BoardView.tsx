import { Center, Loader } from '@mantine/core';
import { ReactFlowProvider } from '@xyflow/react';
import { boardDocName } from '../../../shared/docs';
import type { WorkspaceRef } from '../../../shared/host';
import type { Id } from '../../../shared/ids';
import { initDocMeta, MIGRATION_ORIGIN, schemaVersionOf, type WorkspaceIndex } from '../../../shared/model';
import { ErrorPanel } from '../../ui/ErrorPanel';
import { SessionOutputContext } from '../session-output/session-output-context';
import { useConnectedDoc } from '../workspace/use-connected-doc';
import { BoardCanvas } from './BoardCanvas';

// Boards created in this window: only their creator stamps the new doc's schema,
// so two peers never race to initialise the same doc.
const createdHere = new Set<Id>();

export function markBoardCreatedHere(boardId: Id): void {
  createdHere.add(boardId);
}

export function BoardView(props: { workspace: WorkspaceRef; boardId: Id; index?: WorkspaceIndex }) {
  const state = useConnectedDoc(props.workspace, boardDocName(props.boardId));
  if (state.status === 'loading') {
    return (
      <Center h="100%">
        <Loader />
      </Center>
    );
  }
  if (state.status === 'error') return <ErrorPanel error={state.error} />;
  if (createdHere.delete(props.boardId) && schemaVersionOf(state.doc) === undefined) {
    initDocMeta(state.doc, 'board', MIGRATION_ORIGIN);
  }
  const canvas = (
    <ReactFlowProvider>
      <BoardCanvas doc={state.doc} connection={state.connection} index={props.index} />
    </ReactFlowProvider>
  );
  if (!props.index) return canvas;
  const scope = { workspace: props.workspace, boardId: props.boardId, index: props.index, awareness: state.connection.awareness };
  return <SessionOutputContext.Provider value={scope}>{canvas}</SessionOutputContext.Provider>;
}
