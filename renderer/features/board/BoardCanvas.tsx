import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import {
  applyNodeChanges,
  Background,
  BackgroundVariant,
  MiniMap,
  Panel,
  ReactFlow,
  useReactFlow,
  type Node,
  type NodeChange,
  type NodeTypes,
  type OnNodeDrag,
} from '@xyflow/react';
import { Button, Divider, Group, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import * as Y from 'yjs';
import type { DocConnection } from '../../../shared/host';
import type { Id } from '../../../shared/ids';
import { BoardDoc, findFreeSpot, STICKY_SIZE, type BoardNode } from '../../../shared/model';
import { usePreferences } from '../../app/preferences';
import { IconButton } from '../../ui/AppHeader';
import { FitIcon, PlusIcon, RedoIcon, UndoIcon } from '../../ui/icons';
import { notifyError } from '../../ui/notify';
import { BoardContext, type BoardUi } from './board-context';
import { PresenceList, RemoteCursors, usePeers } from './presence';
import { STICKY_FILL, StickyNode } from './StickyNode';

const nodeTypes: NodeTypes = { sticky: StickyNode };

function toFlowNode(record: BoardNode): Node {
  return {
    id: record.id,
    type: record.type,
    position: { x: record.x, y: record.y },
    width: record.width,
    height: record.height,
    data: {},
  };
}

/** Folds changed records into the flow's node list, keeping local selection and drags. */
function reconcile(previous: Node[], changed: Set<Id>, board: BoardDoc): Node[] {
  const byId = new Map(previous.map((node) => [node.id, node]));
  for (const id of changed) {
    const record = board.nodes.get(id);
    const existing = byId.get(id);
    if (!record) byId.delete(id);
    else if (!existing) byId.set(id, toFlowNode(record));
    else if (!existing.dragging && !existing.resizing) {
      byId.set(id, { ...existing, position: { x: record.x, y: record.y }, width: record.width, height: record.height });
    }
  }
  return [...byId.values()];
}

function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export function BoardCanvas(props: { doc: Y.Doc; connection: DocConnection }) {
  const { t } = useTranslation();
  const { profile } = usePreferences();
  const flow = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  // Transactions made in this window carry this origin: undo tracks only them.
  const localOrigin = useMemo(() => ({ window: 'local' }), []);
  const board = useMemo(() => new BoardDoc(props.doc, localOrigin), [props.doc, localOrigin]);
  const undo = useMemo(
    () =>
      new Y.UndoManager([props.doc.getMap('nodes'), props.doc.getMap('edges')], {
        trackedOrigins: new Set([localOrigin]),
        captureTimeout: 400,
      }),
    [props.doc, localOrigin],
  );
  const [history, setHistory] = useState({ canUndo: false, canRedo: false });
  const [nodes, setNodes] = useState<Node[]>(() => board.nodes.list().map(toFlowNode));
  const [editingId, setEditingId] = useState<Id | null>(null);
  const awareness = props.connection.awareness;
  const peers = usePeers(awareness);
  const isPhone = useMediaQuery('(max-width: 48em)') ?? false;

  useEffect(() => {
    setNodes(board.nodes.list().map(toFlowNode));
    return board.nodes.observe((changed) => setNodes((previous) => reconcile(previous, changed, board)));
  }, [board]);

  useEffect(() => {
    const refresh = () => setHistory({ canUndo: undo.canUndo(), canRedo: undo.canRedo() });
    undo.on('stack-item-added', refresh);
    undo.on('stack-item-popped', refresh);
    undo.on('stack-cleared', refresh);
    return () => undo.destroy();
  }, [undo]);

  useEffect(() => {
    awareness.setLocalStateField('user', { name: profile.displayName, color: profile.color });
  }, [awareness, profile.displayName, profile.color]);

  const safely = useCallback(
    (action: () => void) => {
      try {
        action();
      } catch (error) {
        notifyError(t, error, 'board');
      }
    },
    [t],
  );

  const addStickyAt = useCallback(
    (topLeft: { x: number; y: number }) =>
      safely(() => {
        const sticky = board.addSticky(topLeft, { name: profile.displayName, color: profile.color });
        setNodes((previous) => previous.map((node) => (node.selected ? { ...node, selected: false } : node)));
        setEditingId(sticky.id);
      }),
    [board, profile.displayName, profile.color, safely],
  );

  const addStickyInView = useCallback(() => {
    const rect = wrapper.current?.getBoundingClientRect();
    if (!rect) return;
    const center = flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
    addStickyAt(findFreeSpot(board.nodes.list(), center, STICKY_SIZE));
  }, [flow, board, addStickyAt]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (isTypingTarget(event.target)) return;
      // event.code, not event.key: shortcuts must work in the Russian layout too.
      const mod = event.ctrlKey || event.metaKey;
      if (mod && event.code === 'KeyZ') {
        event.preventDefault();
        if (event.shiftKey) undo.redo();
        else undo.undo();
      } else if (mod && event.code === 'KeyY') {
        event.preventDefault();
        undo.redo();
      } else if (!mod && !event.altKey && event.code === 'KeyN') {
        event.preventDefault();
        addStickyInView();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [undo, addStickyInView]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    setNodes((previous) => applyNodeChanges(changes.filter((change) => change.type !== 'remove'), previous));
  }, []);

  const onNodeDragStop: OnNodeDrag = useCallback(
    (_event, _node, dragged) =>
      safely(() =>
        props.doc.transact(() => {
          for (const node of dragged) board.moveNode(node.id, node.position);
        }, localOrigin),
      ),
    [board, props.doc, localOrigin, safely],
  );

  const onNodesDelete = useCallback(
    (deleted: Node[]) => safely(() => board.deleteNodes(deleted.map((node) => node.id))),
    [board, safely],
  );

  const pendingCursor = useRef<{ x: number; y: number } | null>(null);
  const onPointerMove = useCallback(
    (event: ReactPointerEvent) => {
      const first = pendingCursor.current === null;
      pendingCursor.current = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      if (first) {
        requestAnimationFrame(() => {
          awareness.setLocalStateField('cursor', pendingCursor.current);
          pendingCursor.current = null;
        });
      }
    },
    [flow, awareness],
  );

  const boardUi = useMemo<BoardUi>(() => ({ board, editingId, setEditingId }), [board, editingId]);
  const stickyCount = nodes.length;

  return (
    <BoardContext.Provider value={boardUi}>
      <div
        ref={wrapper}
        className="board-canvas"
        data-testid="board-canvas"
        onPointerMove={onPointerMove}
        onPointerLeave={() => awareness.setLocalStateField('cursor', null)}
        onDoubleClick={(event) => {
          if ((event.target as Element).classList.contains('react-flow__pane')) {
            const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
            addStickyAt({ x: point.x - STICKY_SIZE.width / 2, y: point.y - STICKY_SIZE.height / 2 });
          }
        }}
      >
        <ReactFlow
          nodes={nodes}
          edges={[]}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onNodeDragStop={onNodeDragStop}
          onNodesDelete={onNodesDelete}
          deleteKeyCode={['Delete', 'Backspace']}
          multiSelectionKeyCode="Shift"
          zoomOnDoubleClick={false}
          minZoom={0.1}
          maxZoom={3}
          fitView={nodes.length > 0}
          fitViewOptions={{ maxZoom: 1, padding: 0.2 }}
          proOptions={{ hideAttribution: true }}
        >
          <Background variant={BackgroundVariant.Dots} gap={24} size={1.5} color="#ced4da" />
          {!isPhone && (
            <MiniMap
              pannable
              zoomable
              nodeColor={(node) => STICKY_FILL[board.nodes.get(node.id)?.color ?? 'yellow']}
              nodeStrokeWidth={2}
              ariaLabel={null}
            />
          )}
          <Panel position="top-left">
            <Group gap={4} className="board-toolbar" wrap="nowrap">
              <Button
                leftSection={<PlusIcon />}
                onClick={addStickyInView}
                title={t('board.addStickyHint')}
                data-testid="add-sticky"
                color="yellow"
                c="dark"
              >
                {t('board.addSticky')}
              </Button>
              <Divider orientation="vertical" mx={4} />
              <IconButton label={t('board.undo')} onClick={() => undo.undo()} disabled={!history.canUndo} testId="undo">
                <UndoIcon />
              </IconButton>
              <IconButton label={t('board.redo')} onClick={() => undo.redo()} disabled={!history.canRedo} testId="redo">
                <RedoIcon />
              </IconButton>
              <IconButton label={t('board.fitView')} onClick={() => void flow.fitView({ maxZoom: 1, padding: 0.2, duration: 200 })}>
                <FitIcon />
              </IconButton>
              <Text size="sm" c="dimmed" px="xs" data-testid="sticky-count" visibleFrom="sm">
                {t('board.stickyCount', { count: stickyCount })}
              </Text>
            </Group>
          </Panel>
          <Panel position="top-right">
            <PresenceList peers={peers} />
          </Panel>
          {stickyCount === 0 && (
            <Panel position="top-center" className="board-empty-hint">
              <Text c="dimmed">{t('board.empty')}</Text>
            </Panel>
          )}
          <RemoteCursors peers={peers} />
        </ReactFlow>
      </div>
    </BoardContext.Provider>
  );
}
