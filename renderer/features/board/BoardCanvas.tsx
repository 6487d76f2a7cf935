import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent as ReactMouseEvent, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import {
  applyEdgeChanges,
  applyNodeChanges,
  ConnectionMode,
  getViewportForBounds,
  MarkerType,
  Panel,
  ReactFlow,
  useReactFlow,
  useStore,
  useStoreApi,
  type Connection,
  type DefaultEdgeOptions,
  type Edge,
  type EdgeChange,
  type EdgeTypes,
  type Node,
  type NodeChange,
  type NodeMouseHandler,
  type NodeTypes,
  type OnNodeDrag,
  type ReactFlowState,
} from '@xyflow/react';
import { Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import * as Y from 'yjs';
import type { DocConnection } from '../../../shared/host';
import { newId, type Id } from '../../../shared/ids';
import {
  alignNodes,
  arrangeInGrid,
  BoardDoc,
  boundsOf,
  carryFrameContents,
  clipOf,
  decodeClip,
  encodeClip,
  findFreeSpot,
  moveWithFrames,
  NODE_SIZES,
  nudgeDelta,
  offsetToCenter,
  remapClip,
  type Alignment,
  type BoardClip,
  type BoardEdge,
  type BoardNode,
  type NudgeDirection,
  type Point,
  type WorkspaceIndex,
} from '../../../shared/model';
import { usePreferences } from '../../app/preferences';
import { notifyError } from '../../ui/notify';
import { SessionOutputBar } from '../session-output/SessionOutputBar';
import { BoardContext, type BoardExtensions, type BoardUi } from './board-context';
import { BoardMiniMap } from './BoardMiniMap';
import { BoardOverview } from './BoardOverview';
import { BoardSearch } from './BoardSearch';
import { BoardToolbar } from './BoardToolbar';
import { ConnectorEdge } from './ConnectorEdge';
import { OVERVIEW_ZOOM } from './level-of-detail';
import { FrameNode } from './nodes/FrameNode';
import { ReferenceNode } from './nodes/ReferenceNode';
import { StickyNode } from './nodes/StickyNode';
import { TextNode } from './nodes/TextNode';
import { PresenceList, RemoteCursors } from './presence';
import { RecordStore, Signal } from './record-store';
import { exposeForBench } from './render-counts';
import { ReferencePicker } from './ReferencePicker';
import { ShortcutHelp } from './ShortcutHelp';
import { shortcutFor, type ShortcutAction } from './shortcuts';
import { useLevelOfDetail } from './use-level-of-detail';

// Module scope and memoised: xyflow re-mounts every node if these objects change.
const nodeTypes: NodeTypes = { sticky: StickyNode, text: TextNode, frame: FrameNode, reference: ReferenceNode };
const edgeTypes: EdgeTypes = { connector: ConnectorEdge };
const defaultEdgeOptions: DefaultEdgeOptions = {
  type: 'connector',
  markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18, color: '#495057' },
};
const NO_DATA = {};
const NO_EXTENSIONS: BoardExtensions = {};
const FIT = { maxZoom: 1, padding: 0.2 };
const isFar = (state: ReactFlowState) => state.transform[2] < OVERVIEW_ZOOM;
const isViewReady = (state: ReactFlowState) => state.panZoom !== null && state.width > 0 && state.height > 0;

/** In-app clipboard: the fallback when the system clipboard is unavailable; shared by all boards of the window. */
let appClipboard: BoardClip | null = null;

function flowFlags(id: Id, extensions: BoardExtensions): Pick<Node, 'hidden' | 'draggable' | 'deletable'> {
  const locked = extensions.readOnly || extensions.lockedNodeIds?.has(id);
  return { hidden: extensions.hiddenNodeIds?.has(id) ?? false, draggable: !locked, deletable: !locked };
}

function toFlowNode(record: BoardNode, extensions: BoardExtensions, selected = false): Node {
  return {
    id: record.id,
    type: record.type,
    position: { x: record.x, y: record.y },
    width: record.width,
    height: record.height,
    data: NO_DATA,
    // Frames sit under everything else; nested frames are ordered by size (below).
    zIndex: record.type === 'frame' ? 0 : 1,
    selected,
    ...flowFlags(record.id, extensions),
  };
}

function toFlowEdge(record: BoardEdge, selected = false): Edge {
  return { id: record.id, source: record.source, target: record.target, type: 'connector', selected };
}

/** Frames first, largest first, so a nested frame draws over its parent and stickies over both. */
function layerOrder(nodes: Node[]): Node[] {
  const frames = nodes.filter((node) => node.type === 'frame');
  if (frames.length === 0) return nodes;
  frames.sort((a, b) => (b.width ?? 0) * (b.height ?? 0) - (a.width ?? 0) * (a.height ?? 0));
  return frames.concat(nodes.filter((node) => node.type !== 'frame'));
}

/** Folds changed records into the flow's node list, keeping local selection and drags. */
function reconcileNodes(previous: Node[], changed: Set<Id>, read: (id: Id) => BoardNode | undefined, extensions: BoardExtensions): Node[] {
  const byId = new Map(previous.map((node) => [node.id, node]));
  let framesChanged = false;
  for (const id of changed) {
    const record = read(id);
    const existing = byId.get(id);
    if (record?.type === 'frame' || existing?.type === 'frame') framesChanged = true;
    if (!record) byId.delete(id);
    else if (!existing) byId.set(id, toFlowNode(record, extensions));
    else if (!existing.dragging && !existing.resizing) {
      byId.set(id, { ...existing, position: { x: record.x, y: record.y }, width: record.width, height: record.height });
    }
  }
  const next = [...byId.values()];
  return framesChanged ? layerOrder(next) : next;
}

function reconcileEdges(previous: Edge[], changed: Set<Id>, read: (id: Id) => BoardEdge | undefined): Edge[] {
  const byId = new Map(previous.map((edge) => [edge.id, edge]));
  for (const id of changed) {
    const record = read(id);
    const existing = byId.get(id);
    if (!record) byId.delete(id);
    else if (!existing || existing.source !== record.source || existing.target !== record.target) byId.set(id, toFlowEdge(record, existing?.selected));
  }
  return [...byId.values()];
}

function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function isInDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[role="dialog"]') !== null;
}

const nudgeDirections: Partial<Record<ShortcutAction, NudgeDirection>> = {
  nudgeLeft: 'left',
  nudgeRight: 'right',
  nudgeUp: 'up',
  nudgeDown: 'down',
};

export interface BoardCanvasProps {
  doc: Y.Doc;
  connection: DocConnection;
  /** The workspace index, for reference cards. */
  index?: WorkspaceIndex | null;
  extensions?: BoardExtensions;
  /** Rendered inside the flow (use xyflow's <Panel> and useReactFlow there): session toolbars, timers. */
  children?: ReactNode;
}

export function BoardCanvas(props: BoardCanvasProps) {
  const { t } = useTranslation();
  const { profile } = usePreferences();
  const flow = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  const extensions = props.extensions ?? NO_EXTENSIONS;
  const extensionsRef = useRef(extensions);
  extensionsRef.current = extensions;
  // Transactions made in this window carry this origin: undo tracks only them.
  const localOrigin = useMemo(() => ({ window: 'local' }), []);
  const board = useMemo(() => new BoardDoc(props.doc, localOrigin), [props.doc, localOrigin]);
  const nodeStore = useMemo(() => new RecordStore(board.nodes), [board]);
  const edgeStore = useMemo(() => new RecordStore(board.edges), [board]);
  const editing = useMemo(() => new Signal<Id | null>(null), []);
  const undo = useMemo(
    () =>
      new Y.UndoManager([props.doc.getMap('nodes'), props.doc.getMap('edges')], {
        trackedOrigins: new Set([localOrigin]),
        captureTimeout: 400,
      }),
    [props.doc, localOrigin],
  );
  const [history, setHistory] = useState({ canUndo: false, canRedo: false });
  const [nodes, setNodes] = useState<Node[]>(() => layerOrder(nodeStore.prime(board.nodes.list()).map((record) => toFlowNode(record, extensions))));
  const [edges, setEdges] = useState<Edge[]>(() => edgeStore.prime(board.edges.list()).map((record) => toFlowEdge(record)));
  // Fit only a board that opens with objects: fitting later would jump the view when the first sticky appears.
  const [fitOnOpen] = useState(() => nodes.length > 0);
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const edgesRef = useRef(edges);
  edgesRef.current = edges;
  const [searchOpen, setSearchOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [pickerOpen, setPickerOpen] = useState(false);
  const awareness = props.connection.awareness;
  const isPhone = useMediaQuery('(max-width: 48em)') ?? false;
  const author = useMemo(() => ({ name: profile.displayName, color: profile.color, id: profile.id }), [profile.displayName, profile.color, profile.id]);
  const readOnly = extensions.readOnly ?? false;
  const far = useStore(isFar);
  const viewReady = useStore(isViewReady);
  const storeApi = useStoreApi();
  const lod = useLevelOfDetail(nodes, editing);

  useEffect(() => () => nodeStore.destroy(), [nodeStore]);
  useEffect(() => () => edgeStore.destroy(), [edgeStore]);
  useEffect(() => exposeForBench(board), [board]);

  useEffect(() => {
    const read = (id: Id) => nodeStore.get(id);
    // Changes that arrived between the first render and this subscription.
    if (nodeStore.version > 0) setNodes(layerOrder(board.nodes.ids().flatMap((id) => read(id) ?? []).map((record) => toFlowNode(record, extensionsRef.current))));
    // The store's own observer runs first (registered earlier), so reads here are fresh.
    return board.nodes.observe((changed) =>
      setNodes((previous) => reconcileNodes(previous, changed, read, extensionsRef.current)),
    );
  }, [board, nodeStore]);

  useEffect(() => {
    const read = (id: Id) => edgeStore.get(id);
    if (edgeStore.version > 0) setEdges(board.edges.ids().flatMap((id) => read(id) ?? []).map((record) => toFlowEdge(record)));
    return board.edges.observe((changed) => setEdges((previous) => reconcileEdges(previous, changed, read)));
  }, [board, edgeStore]);

  // Session features change which nodes are hidden or locked: refresh only the flags.
  useEffect(() => {
    setNodes((previous) =>
      previous.map((node) => {
        const flags = flowFlags(node.id, extensions);
        return node.hidden === flags.hidden && node.draggable === flags.draggable && node.deletable === flags.deletable ? node : { ...node, ...flags };
      }),
    );
  }, [extensions.hiddenNodeIds, extensions.lockedNodeIds, extensions.readOnly, extensions]);

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

  // ---- selection helpers ----
  const selectedIds = useCallback((): Id[] => nodesRef.current.filter((node) => node.selected && !node.hidden).map((node) => node.id), []);
  const select = useCallback((ids: ReadonlySet<Id>, edgeIds: ReadonlySet<Id> = new Set()) => {
    setNodes((previous) =>
      previous.map((node) => (Boolean(node.selected) === ids.has(node.id) ? node : { ...node, selected: ids.has(node.id) })),
    );
    setEdges((previous) =>
      previous.map((edge) => (Boolean(edge.selected) === edgeIds.has(edge.id) ? edge : { ...edge, selected: edgeIds.has(edge.id) })),
    );
  }, []);
  const records = useCallback((): BoardNode[] => board.nodes.ids().flatMap((id) => nodeStore.get(id) ?? []), [board, nodeStore]);
  const editable = useCallback(
    (ids: Id[]) => (readOnly ? [] : ids.filter((id) => !extensionsRef.current.lockedNodeIds?.has(id))),
    [readOnly],
  );

  // ---- creating ----
  const lastPointer = useRef<Point | null>(null);
  const viewCenter = useCallback((): Point | null => {
    const rect = wrapper.current?.getBoundingClientRect();
    if (!rect) return null;
    return flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
  }, [flow]);

  const addNodeAt = useCallback(
    (type: BoardNode['type'], topLeft: Point, fields: Partial<Pick<BoardNode, 'text' | 'ref'>> = {}) =>
      safely(() => {
        if (readOnly) return;
        const node =
          type === 'sticky'
            ? board.addSticky(topLeft, author, 'yellow', fields.text, { privateUntilReveal: extensionsRef.current.privateWriting })
            : board.addNode(type, topLeft, author, { ...fields, ...(type === 'text' && extensionsRef.current.privateWriting ? { privateUntilReveal: true } : {}) });
        select(new Set());
        if (type !== 'reference') editing.set(node.id);
      }),
    [board, author, safely, select, editing, readOnly],
  );

  const addInView = useCallback(
    (type: BoardNode['type'], fields: Partial<Pick<BoardNode, 'text' | 'ref'>> = {}) => {
      const center = viewCenter();
      if (!center) return;
      const size = NODE_SIZES[type];
      // Stickies and text avoid what is there; a frame goes where you look, to take stickies in.
      const taken = type === 'frame' ? [] : records().filter((node) => node.type !== 'frame');
      const spot = type === 'frame' ? { x: center.x - size.width / 2, y: center.y - size.height / 2 } : findFreeSpot(taken, center, size);
      addNodeAt(type, spot, type === 'frame' ? { text: t('canvas.newFrameTitle'), ...fields } : fields);
    },
    [viewCenter, records, addNodeAt, t],
  );

  // ---- selection actions ----
  const moveSelection = useCallback(
    (positions: Map<Id, Point>) => safely(() => board.moveNodes(carryFrameContents(positions, records()))),
    [board, records, safely],
  );

  const align = useCallback(
    (alignment: Alignment) => {
      const ids = new Set(editable(selectedIds()));
      moveSelection(alignNodes(records().filter((node) => ids.has(node.id)), alignment));
    },
    [editable, selectedIds, records, moveSelection],
  );

  const arrangeGrid = useCallback(() => {
    const ids = new Set(editable(selectedIds()));
    moveSelection(arrangeInGrid(records().filter((node) => ids.has(node.id))));
  }, [editable, selectedIds, records, moveSelection]);

  const nudge = useCallback(
    (direction: NudgeDirection, large: boolean) => {
      const ids = editable(selectedIds());
      if (ids.length === 0) return;
      safely(() => board.moveNodes(moveWithFrames(ids, nudgeDelta(direction, large), records())));
    },
    [editable, selectedIds, records, board, safely],
  );

  const deleteSelection = useCallback(() => {
    const nodeIds = editable(selectedIds());
    const edgeIds = readOnly ? [] : edgesRef.current.filter((edge) => edge.selected).map((edge) => edge.id);
    if (nodeIds.length === 0 && edgeIds.length === 0) return;
    safely(() =>
      props.doc.transact(() => {
        for (const id of edgeIds) board.edges.delete(id);
        board.deleteNodes(nodeIds);
      }, localOrigin),
    );
  }, [editable, selectedIds, readOnly, board, props.doc, localOrigin, safely]);

  const currentClip = useCallback((): BoardClip | null => {
    const ids = selectedIds();
    if (ids.length === 0) return null;
    return clipOf(ids, records(), board.edges.ids().flatMap((id) => edgeStore.get(id) ?? []));
  }, [selectedIds, records, board, edgeStore]);

  const insertClip = useCallback(
    (clip: BoardClip, offset: Point) =>
      safely(() => {
        if (readOnly) return;
        const copy = remapClip(clip, offset, newId, new Date().toISOString());
        board.insertClip(copy);
        select(new Set(copy.nodes.map((node) => node.id)), new Set(copy.edges.map((edge) => edge.id)));
        notifications.show({ message: t('canvas.clipboard.pasted', { count: copy.nodes.length }), autoClose: 1500 });
      }),
    [board, safely, select, t, readOnly],
  );

  const duplicate = useCallback(() => {
    const clip = currentClip();
    const bounds = clip && boundsOf(clip.nodes);
    if (!clip || !bounds) return;
    insertClip(clip, { x: bounds.width + 40, y: 0 });
  }, [currentClip, insertClip]);

  const pasteClip = useCallback(
    (clip: BoardClip) => {
      const at = lastPointer.current ?? viewCenter();
      if (at) insertClip(clip, offsetToCenter(clip, at));
    },
    [insertClip, viewCenter],
  );

  const copy = useCallback(() => {
    const clip = currentClip();
    if (!clip) return null;
    appClipboard = clip;
    return clip;
  }, [currentClip]);

  const copyToSystem = useCallback(() => {
    const clip = copy();
    if (clip) void navigator.clipboard?.writeText(encodeClip(clip)).catch(() => undefined);
  }, [copy]);

  const pasteFromSystem = useCallback(async () => {
    const text = await navigator.clipboard?.readText().catch(() => null);
    const clip = (text && decodeClip(text)) || appClipboard;
    if (clip) pasteClip(clip);
    else notifications.show({ message: t('canvas.clipboard.empty'), autoClose: 3000 });
  }, [pasteClip, t]);

  // Fits the objects this window shows, from their records: most are not in the DOM (level of detail).
  const fitBoard = useCallback(
    (duration: number) => {
      const bounds = boundsOf(nodesRef.current.filter((node) => !node.hidden).map((node) => ({ ...node.position, width: node.width ?? 0, height: node.height ?? 0 })));
      const { width, height, minZoom } = storeApi.getState();
      if (!bounds || width === 0 || height === 0) return;
      void flow.setViewport(getViewportForBounds(bounds, width, height, minZoom, FIT.maxZoom, FIT.padding), { duration });
    },
    [flow, storeApi],
  );
  const fitView = useCallback(() => fitBoard(200), [fitBoard]);
  const fittedOnOpen = useRef(false);
  useEffect(() => {
    if (!viewReady || fittedOnOpen.current) return;
    fittedOnOpen.current = true;
    if (fitOnOpen) fitBoard(0);
  }, [viewReady, fitOnOpen, fitBoard]);

  const jumpTo = useCallback(
    (id: Id) => {
      const node = nodeStore.get(id);
      if (!node) return;
      select(new Set([id]));
      void flow.setCenter(node.x + node.width / 2, node.y + node.height / 2, { zoom: Math.max(flow.getZoom(), 1), duration: 250 });
    },
    [nodeStore, flow, select],
  );

  // ---- keyboard and clipboard events ----
  const pendingPaste = useRef<number | null>(null);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (isTypingTarget(event.target) || isInDialog(event.target)) return;
      const action = shortcutFor(event);
      if (!action) return;
      const direction = nudgeDirections[action];
      if (direction) {
        if (selectedIds().length === 0) return;
        event.preventDefault();
        nudge(direction, event.shiftKey);
        return;
      }
      // Copy, cut and paste keep the browser's default so the copy/paste events below fire.
      if (action === 'copy') {
        copy();
        return;
      }
      if (action === 'cut') {
        if (copy()) deleteSelection();
        return;
      }
      if (action === 'paste') {
        // If no paste event brings our payload (no clipboard access), paste the in-app copy.
        if (pendingPaste.current !== null) window.clearTimeout(pendingPaste.current);
        pendingPaste.current = window.setTimeout(() => {
          pendingPaste.current = null;
          if (appClipboard) pasteClip(appClipboard);
        }, 150);
        return;
      }
      event.preventDefault();
      switch (action) {
        case 'addSticky':
          return addInView('sticky');
        case 'addText':
          return addInView('text');
        case 'addFrame':
          return addInView('frame');
        case 'delete':
          return deleteSelection();
        case 'undo':
          return void undo.undo();
        case 'redo':
          return void undo.redo();
        case 'selectAll':
          return select(new Set(nodesRef.current.filter((node) => !node.hidden).map((node) => node.id)));
        case 'duplicate':
          return duplicate();
        case 'search':
          return setSearchOpen(true);
        case 'fit':
          return fitView();
        case 'help':
          return setHelpOpen(true);
        case 'deselect':
          editing.set(null);
          return select(new Set());
      }
    };
    const onCopy = (event: ClipboardEvent) => {
      if (isTypingTarget(event.target) || isInDialog(event.target)) return;
      const clip = appClipboard && selectedIds().length > 0 ? appClipboard : copy();
      if (!clip || !event.clipboardData) return;
      event.clipboardData.setData('text/plain', encodeClip(clip));
      event.preventDefault();
    };
    const onPaste = (event: ClipboardEvent) => {
      if (isTypingTarget(event.target) || isInDialog(event.target)) return;
      const text = event.clipboardData?.getData('text/plain') ?? '';
      const clip = decodeClip(text);
      if (pendingPaste.current !== null) {
        window.clearTimeout(pendingPaste.current);
        pendingPaste.current = null;
      }
      event.preventDefault();
      if (clip) pasteClip(clip);
      else if (text.trim()) {
        // Plain text from elsewhere becomes a sticky, as in Miro.
        const at = lastPointer.current ?? viewCenter();
        if (at) {
          const topLeft = { x: at.x - NODE_SIZES.sticky.width / 2, y: at.y - NODE_SIZES.sticky.height / 2 };
          const privateUntilReveal = extensionsRef.current.privateWriting;
          safely(() => board.addSticky(topLeft, author, 'yellow', text.trim().slice(0, 10_000), { privateUntilReveal }));
        }
      } else if (appClipboard) pasteClip(appClipboard);
    };
    window.addEventListener('keydown', onKeyDown);
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
      if (pendingPaste.current !== null) window.clearTimeout(pendingPaste.current);
    };
  }, [undo, addInView, selectedIds, nudge, copy, deleteSelection, pasteClip, duplicate, fitView, select, editing, viewCenter, safely, board, author]);

  // ---- xyflow wiring (stable callbacks: xyflow re-renders on new handler identities) ----
  const dragCarry = useRef<{ leadId: Id; start: Point; members: Map<Id, Point> } | null>(null);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    setNodes((previous) => {
      let next = applyNodeChanges(
        changes.filter((change) => change.type !== 'remove'),
        previous,
      );
      const carry = dragCarry.current;
      if (carry) {
        const lead = changes.find((change) => change.type === 'position' && change.id === carry.leadId);
        if (lead && lead.type === 'position' && lead.position) {
          const dx = lead.position.x - carry.start.x;
          const dy = lead.position.y - carry.start.y;
          next = next.map((node) => {
            const start = carry.members.get(node.id);
            return start ? { ...node, position: { x: start.x + dx, y: start.y + dy } } : node;
          });
        }
      }
      return next;
    });
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    setEdges((previous) => applyEdgeChanges(changes.filter((change) => change.type !== 'remove'), previous));
  }, []);

  const onNodeDragStart: OnNodeDrag = useCallback(
    (_event, _node, dragged) => {
      const frame = dragged.find((node) => node.type === 'frame');
      if (!frame) return;
      // What sits inside a dragged frame follows it on screen; the drop writes it to the doc.
      const draggedIds = new Set(dragged.map((node) => node.id));
      const all = records();
      const members = new Map<Id, Point>();
      for (const node of dragged) {
        if (node.type !== 'frame') continue;
        for (const [id] of moveWithFrames([node.id], { x: 0, y: 0 }, all)) {
          const record = nodeStore.get(id);
          if (record && !draggedIds.has(id)) members.set(id, { x: record.x, y: record.y });
        }
      }
      dragCarry.current = { leadId: frame.id, start: { ...frame.position }, members };
    },
    [records, nodeStore],
  );

  const onNodeDragStop: OnNodeDrag = useCallback(
    (_event, node, dragged) => {
      dragCarry.current = null;
      const record = nodeStore.get(node.id);
      if (!record) return;
      const delta = { x: node.position.x - record.x, y: node.position.y - record.y };
      if (delta.x === 0 && delta.y === 0) return;
      safely(() => board.moveNodes(moveWithFrames(dragged.map((moved) => moved.id), delta, records())));
    },
    [board, nodeStore, records, safely],
  );

  const onConnect = useCallback(
    (connection: Connection) => safely(() => void (readOnly ? undefined : board.connect(connection.source, connection.target))),
    [board, safely, readOnly],
  );

  const onNodeClick: NodeMouseHandler = useCallback(
    (event, node) => {
      const record = nodeStore.get(node.id);
      if (record) extensionsRef.current.onNodeClick?.(record, event);
    },
    [nodeStore],
  );

  const pendingCursor = useRef<Point | null>(null);
  const { hover } = lod;
  const onPointerMove = useCallback(
    (event: ReactPointerEvent) => {
      const first = pendingCursor.current === null;
      pendingCursor.current = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      lastPointer.current = pendingCursor.current;
      hover(pendingCursor.current, event.buttons);
      if (first) {
        requestAnimationFrame(() => {
          awareness.setLocalStateField('cursor', pendingCursor.current);
          pendingCursor.current = null;
        });
      }
    },
    [flow, awareness, hover],
  );

  const onPointerLeave = useCallback(() => {
    lastPointer.current = null;
    hover(null, 0);
    awareness.setLocalStateField('cursor', null);
  }, [awareness, hover]);

  // ---- overview zoom: the canvas shows the nodes, so clicks, double-clicks and boxes are resolved here ----
  const { nodeAt, nodesInside } = lod;
  const isOverview = useCallback(() => storeApi.getState().transform[2] < OVERVIEW_ZOOM, [storeApi]);
  const zoomInto = useCallback(
    (id: Id) => {
      const node = nodeStore.get(id);
      if (node) void flow.setCenter(node.x + node.width / 2, node.y + node.height / 2, { zoom: 1, duration: 250 });
    },
    [nodeStore, flow],
  );
  // A double-click on a node in the overview zooms to it rather than editing text too small to see.
  const onDoubleClickCapture = useCallback(
    (event: ReactMouseEvent) => {
      const id = (event.target as Element).closest('.react-flow__node')?.getAttribute('data-id');
      if (!id || !isOverview()) return;
      event.stopPropagation();
      select(new Set([id]));
      zoomInto(id);
    },
    [isOverview, select, zoomInto],
  );
  // A tap on the overview (no hover on touch screens) selects what the canvas shows there.
  const onPaneClick = useCallback(
    (event: ReactMouseEvent) => {
      if (!isOverview()) return;
      const id = nodeAt(flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }));
      if (id && !extensionsRef.current.hiddenNodeIds?.has(id)) select(new Set([id]));
    },
    [isOverview, nodeAt, flow, select],
  );
  // xyflow's selection box sees only DOM nodes; over the overview the box selects from the records.
  const boxStart = useRef<Point | null>(null);
  const onSelectionStart = useCallback((event: ReactMouseEvent) => {
    boxStart.current = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
  }, [flow]);
  const onSelectionEnd = useCallback(
    (event: ReactMouseEvent) => {
      const start = boxStart.current;
      boxStart.current = null;
      if (!start || !isOverview()) return;
      const end = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const rect = { x: Math.min(start.x, end.x), y: Math.min(start.y, end.y), width: Math.abs(end.x - start.x), height: Math.abs(end.y - start.y) };
      const ids = new Set(nodesInside(rect).filter((id) => !extensionsRef.current.hiddenNodeIds?.has(id)));
      if (event.shiftKey) for (const id of selectedIds()) ids.add(id);
      select(ids);
    },
    [flow, isOverview, nodesInside, selectedIds, select],
  );
  // Text is edited where it can be read: a node put into editing at overview zoom (N, paste) is zoomed to.
  useEffect(
    () =>
      editing.subscribe(() => {
        const id = editing.get();
        if (id && isOverview()) zoomInto(id);
      }),
    [editing, isOverview, zoomInto],
  );

  const onDoubleClick = useCallback(
    (event: ReactMouseEvent) => {
      if (!(event.target as Element).classList.contains('react-flow__pane')) return;
      const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addNodeAt('sticky', { x: point.x - NODE_SIZES.sticky.width / 2, y: point.y - NODE_SIZES.sticky.height / 2 });
    },
    [flow, addNodeAt],
  );

  const boardUi = useMemo<BoardUi>(
    () => ({ board, nodes: nodeStore, edges: edgeStore, index: props.index ?? null, editing, extensions, author, safely }),
    [board, nodeStore, edgeStore, props.index, editing, extensions, author, safely],
  );

  let stickyCount = 0;
  let selectedCount = 0;
  for (const node of nodes) {
    if (node.hidden) continue;
    if (node.type === 'sticky') stickyCount += 1;
    if (node.selected) selectedCount += 1;
  }

  return (
    <BoardContext.Provider value={boardUi}>
      <div
        ref={wrapper}
        className={far ? 'board-canvas is-far' : 'board-canvas'}
        data-testid="board-canvas"
        onPointerMove={onPointerMove}
        onPointerLeave={onPointerLeave}
        onDoubleClick={onDoubleClick}
        onDoubleClickCapture={onDoubleClickCapture}
      >
        <ReactFlow
          nodes={lod.flowNodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          defaultEdgeOptions={defaultEdgeOptions}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onNodeDragStart={onNodeDragStart}
          onNodeDragStop={onNodeDragStop}
          onNodeClick={onNodeClick}
          onPaneClick={onPaneClick}
          onSelectionStart={onSelectionStart}
          onSelectionEnd={onSelectionEnd}
          onConnect={onConnect}
          connectionMode={ConnectionMode.Loose}
          nodesConnectable={!readOnly}
          deleteKeyCode={null}
          selectionKeyCode={null}
          multiSelectionKeyCode="Shift"
          selectionOnDrag={!isPhone}
          panOnDrag={isPhone ? true : [1, 2]}
          panActivationKeyCode="Space"
          elevateNodesOnSelect={false}
          elevateEdgesOnSelect
          disableKeyboardA11y
          zoomOnDoubleClick={false}
          minZoom={0.02}
          maxZoom={3}
          proOptions={{ hideAttribution: true }}
        >
          <BoardOverview nodes={nodes} edges={edges} domIds={lod.domIds} />
          {!isPhone && <BoardMiniMap nodes={nodes} />}
          <Panel position="top-left">
            <BoardToolbar
              readOnly={readOnly}
              history={history}
              selectedCount={selectedCount}
              stickyCount={stickyCount}
              hasIndex={Boolean(props.index)}
              onAdd={addInView}
              onAddReference={() => setPickerOpen(true)}
              onUndo={() => undo.undo()}
              onRedo={() => undo.redo()}
              onAlign={align}
              onGrid={arrangeGrid}
              onDuplicate={duplicate}
              onCopy={copyToSystem}
              onPaste={() => void pasteFromSystem()}
              onDelete={deleteSelection}
              onFit={fitView}
              onSearch={() => setSearchOpen(true)}
              onHelp={() => setHelpOpen(true)}
            />
          </Panel>
          <Panel position="top-right">
            <PresenceList awareness={awareness} />
          </Panel>
          <Panel position="bottom-left">
            <SessionOutputBar />
          </Panel>
          {searchOpen ? (
            <Panel position="top-center">
              <BoardSearch records={records} onJump={jumpTo} onClose={() => setSearchOpen(false)} />
            </Panel>
          ) : (
            stickyCount === 0 &&
            nodes.length === 0 && (
              <Panel position="top-center" className="board-empty-hint">
                <Text c="dimmed">{t('board.empty')}</Text>
              </Panel>
            )
          )}
          <RemoteCursors awareness={awareness} />
          {props.children}
        </ReactFlow>
      </div>
      <ShortcutHelp opened={helpOpen} onClose={() => setHelpOpen(false)} />
      {props.index && (
        <ReferencePicker
          opened={pickerOpen}
          index={props.index}
          onClose={() => setPickerOpen(false)}
          onPick={(ref) => {
            setPickerOpen(false);
            addInView('reference', { ref });
          }}
        />
      )}
    </BoardContext.Provider>
  );
}
