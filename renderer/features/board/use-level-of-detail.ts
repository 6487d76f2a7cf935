import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { useStoreApi, type Node } from '@xyflow/react';
import type { Id } from '../../../shared/ids';
import type { Point } from '../../../shared/model';
import { domNodeIds, OVERVIEW_ZOOM, PINNED_SELECTION_LIMIT, sameIds, SpatialGrid, VIEW_MARGIN, viewRect, type LodNode } from './level-of-detail';
import type { Signal } from './record-store';

// The DOM catches up with the view once panning or zooming pauses this long; the canvas covers meanwhile.
const SETTLE_MS = 150;
const NO_IDS: ReadonlySet<Id> = new Set();

function lodNodeOf(node: Node): LodNode {
  return { id: node.id, type: node.type ?? 'sticky', x: node.position.x, y: node.position.y, width: node.width ?? 0, height: node.height ?? 0 };
}

/**
 * Decides which nodes get DOM elements (see level-of-detail.ts) and hands xyflow the
 * rest as `hidden`, so it neither mounts nor measures them; BoardOverview draws them.
 * `nodes` keep `hidden` for private stickies only; the returned list adds the LOD.
 */
export function useLevelOfDetail(nodes: Node[], editing: Signal<Id | null>) {
  const store = useStoreApi();
  const [domIds, setDomIds] = useState<ReadonlySet<Id>>(NO_IDS);
  const domIdsRef = useRef(domIds);
  domIdsRef.current = domIds;
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const hovered = useRef<Id | null>(null);
  const gridCache = useRef<{ nodes: Node[]; grid: SpatialGrid<LodNode> } | null>(null);

  const grid = useCallback((): SpatialGrid<LodNode> => {
    const current = nodesRef.current;
    if (gridCache.current?.nodes !== current) {
      gridCache.current = { nodes: current, grid: new SpatialGrid(current.filter((node) => !node.hidden).map(lodNodeOf)) };
    }
    return gridCache.current.grid;
  }, []);

  const pinned = useCallback((): Id[] => {
    const ids: Id[] = [];
    let selected = 0;
    for (const node of nodesRef.current) {
      if (node.hidden) continue;
      if (node.selected) selected += 1;
      if (node.selected || node.dragging || node.resizing) ids.push(node.id);
    }
    // a big selection stays on the canvas at overview zoom; what is dragged is always in the DOM
    const kept = selected > PINNED_SELECTION_LIMIT ? nodesRef.current.filter((node) => node.dragging).map((node) => node.id) : ids;
    const edited = editing.get();
    if (edited) kept.push(edited);
    if (hovered.current) kept.push(hovered.current);
    return kept;
  }, [editing]);

  const refresh = useCallback(
    (sync = false) => {
      const { transform, width, height } = store.getState();
      if (width === 0 || height === 0) return;
      const next = domNodeIds(grid(), transform[2], viewRect(transform, width, height, VIEW_MARGIN), pinned());
      if (sameIds(next, domIdsRef.current)) return;
      domIdsRef.current = next;
      if (sync) flushSync(() => setDomIds(next));
      else setDomIds(next);
    },
    [store, grid, pinned],
  );

  // Pan, zoom, nodes added, moved or (de)selected: the DOM follows once things rest.
  const settleTimer = useRef(0);
  const settle = useCallback(() => {
    window.clearTimeout(settleTimer.current);
    settleTimer.current = window.setTimeout(() => refresh(), SETTLE_MS);
  }, [refresh]);
  useEffect(() => () => window.clearTimeout(settleTimer.current), []);
  useEffect(
    () =>
      store.subscribe((state, previous) => {
        if (state.transform !== previous.transform || state.width !== previous.width || state.height !== previous.height) settle();
      }),
    [store, settle],
  );
  useEffect(settle, [nodes, settle]);

  useEffect(() => editing.subscribe(() => refresh()), [editing, refresh]);

  /** The pointer rests on a node the canvas draws: give it its DOM element before a press reaches the pane. */
  const hover = useCallback(
    (point: Point | null, buttons: number) => {
      if (buttons !== 0) return;
      const id = point ? (grid().at(point)?.id ?? null) : null;
      if (id === hovered.current) return;
      hovered.current = id;
      refresh(true);
    },
    [grid, refresh],
  );

  /** The node under a board point (overview clicks and taps, where no DOM element is). */
  const nodeAt = useCallback((point: Point): Id | undefined => grid().at(point)?.id, [grid]);

  /** Ids of nodes (not private) fully inside a board rectangle: selection boxes drawn over the overview. */
  const nodesInside = useCallback(
    (rect: { x: number; y: number; width: number; height: number }): Id[] =>
      grid()
        .overlapping(rect)
        .filter((node) => node.x >= rect.x && node.y >= rect.y && node.x + node.width <= rect.x + rect.width && node.y + node.height <= rect.y + rect.height)
        .map((node) => node.id),
    [grid],
  );

  // Nodes outside the DOM set are handed to xyflow hidden; the copies are cached so an
  // unchanged node keeps its identity and xyflow skips it.
  const hiddenCopies = useRef(new WeakMap<Node, Node>());
  const flowNodes = useMemo(
    () =>
      nodes.map((node) => {
        if (node.hidden || domIds.has(node.id)) return node;
        let copy = hiddenCopies.current.get(node);
        if (!copy) hiddenCopies.current.set(node, (copy = { ...node, hidden: true }));
        return copy;
      }),
    [nodes, domIds],
  );

  return { flowNodes, hover, nodeAt, nodesInside, overviewZoom: OVERVIEW_ZOOM };
}
