import { useEffect } from 'react';
import { Center, Loader } from '@mantine/core';
import { ReactFlowProvider } from '@xyflow/react';
import { boardDocName } from '../../../shared/docs';
import { roleOf, type WorkspaceRef } from '../../../shared/host';
import type { Id } from '../../../shared/ids';
import { initDocMeta, MIGRATION_ORIGIN, schemaVersionOf, type WorkspaceIndex } from '../../../shared/model';
import { goToWorkspaceView } from '../../app/routing';
import { ErrorPanel } from '../../ui/ErrorPanel';
import { SessionOutputContext } from '../session-output/session-output-context';
import { useConnectedDoc } from '../workspace/use-connected-doc';
import { SessionBoard } from '../session/SessionBoard';
import { OPEN_RECORD_EVENT, type OpenRecordDetail } from './nodes/ReferenceNode';

// Boards created in this window: only their creator stamps the new doc's schema,
// so two peers never race to initialise the same doc.
const createdHere = new Set<Id>();

export function markBoardCreatedHere(boardId: Id): void {
  createdHere.add(boardId);
}

/** A reference card's "open": a problem opens the registry filtered to its title, a project the problem→project map. */
function useOpenRecordLinks(workspace: WorkspaceRef, index: WorkspaceIndex | undefined) {
  useEffect(() => {
    const open = (event: Event) => {
      const { kind, id } = (event as CustomEvent<OpenRecordDetail>).detail;
      if (kind === 'project') return goToWorkspaceView(workspace.id, 'map');
      const title = index?.problems.get(id)?.title;
      goToWorkspaceView(workspace.id, 'registry', title ? { q: title } : {});
    };
    window.addEventListener(OPEN_RECORD_EVENT, open);
    return () => window.removeEventListener(OPEN_RECORD_EVENT, open);
  }, [workspace.id, index]);
}

export function BoardView(props: { workspace: WorkspaceRef; boardId: Id; index?: WorkspaceIndex }) {
  const state = useConnectedDoc(props.workspace, boardDocName(props.boardId));
  useOpenRecordLinks(props.workspace, props.index);
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
      <SessionBoard doc={state.doc} connection={state.connection} index={props.index} role={roleOf(props.workspace)} />
    </ReactFlowProvider>
  );
  if (!props.index) return canvas;
  const scope = { workspace: props.workspace, boardId: props.boardId, index: props.index, awareness: state.connection.awareness };
  return <SessionOutputContext.Provider value={scope}>{canvas}</SessionOutputContext.Provider>;
}
