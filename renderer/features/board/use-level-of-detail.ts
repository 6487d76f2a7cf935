import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { useStoreApi, type Node } from '@xyflow/react';
import type { Id } from '../../../shared/ids';
import type { Point } from '../../../shared/model';
import { domNodeIds, PINNED_SELECTION_LIMIT, sameIds, SpatialGrid, VIEW_MARGIN, viewRect, type LodNode } from './level-of-detail';
import type { Signal } from './record-store';

// The DOM catches up with the view once panning or zooming pauses this long; the canvas covers meanwhile.
const SETTLE_MS = 150;
const MOUNT_CHUNK = 16;
const NO_IDS: ReadonlySet<Id> = new Set();

function lodNodeOf(node: Node): LodNode {
  return { id: node.id, type: node.type ?? 'sticky', x: node.position.x, y: node.position.y, width: node.width ?? 0, height: node.height ?? 0 };
}

/**
 * Decides which nodes get DOM elements (see level-of-detail.ts); xyflow gets only those
 * (and the selection), BoardOverview draws the rest from `nodes`. `nodes` keep `hidden`
 * for private stickies only.
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

  const settleTimer = useRef(0);
  const refresh = useCallback(
    (sync = false) => {
      const { transform, width, height } = store.getState();
      if (width === 0 || height === 0) return;
      const view = viewRect(transform, width, height, VIEW_MARGIN);
      let next = domNodeIds(grid(), transform[2], view, pinned());
      // Mounting hundreds of nodes at once stalls for seconds: add the ones nearest the
      // centre first, a chunk per task, and go on unless the view moves again meanwhile.
      const current = domIdsRef.current;
      const added = [...next].filter((id) => !current.has(id));
      if (added.length > MOUNT_CHUNK) {
        const pinnedNow = new Set(pinned());
        const centre = { x: view.x + view.width / 2, y: view.y + view.height / 2 };
        const byId = new Map(nodesRef.current.map((node) => [node.id, node]));
        const distance = (id: Id) => {
          const node = byId.get(id);
          return pinnedNow.has(id) || !node ? -1 : Math.abs(node.position.x - centre.x) + Math.abs(node.position.y - centre.y);
        };
        const first = new Set(added.sort((a, b) => distance(a) - distance(b)).slice(0, MOUNT_CHUNK));
        next = new Set([...next].filter((id) => current.has(id) || first.has(id) || pinnedNow.has(id)));
        window.clearTimeout(settleTimer.current);
        settleTimer.current = window.setTimeout(() => {
          settleTimer.current = 0;
          requestAnimationFrame(() => refresh());
        }, 0);
      }
      if (sameIds(next, current)) return;
      domIdsRef.current = next;
      if (sync) flushSync(() => setDomIds(next));
      else setDomIds(next);
    },
    [store, grid, pinned],
  );

  // Pan and zoom restart the wait; node changes (added, moved, (de)selected, measured) only
  // make sure a refresh is coming, so they don't stall the chunked mounting above.
  const settle = useCallback(
    (restart: boolean) => {
      if (!restart && settleTimer.current) return;
      window.clearTimeout(settleTimer.current);
      settleTimer.current = window.setTimeout(() => {
        settleTimer.current = 0;
        refresh();
      }, SETTLE_MS);
    },
    [refresh],
  );
  useEffect(() => () => window.clearTimeout(settleTimer.current), []);
  useEffect(
    () =>
      store.subscribe((state, previous) => {
        if (state.transform !== previous.transform || state.width !== previous.width || state.height !== previous.height) settle(true);
      }),
    [store, settle],
  );
  useEffect(() => settle(false), [nodes, settle]);

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

  // xyflow gets the DOM set, plus the selection as hidden nodes (so a drag carries all of
  // it). A node xyflow holds costs a store subscription on every pan step even when hidden,
  // which at 10,000 nodes was most of a frame. The hidden copies are cached so an unchanged
  // node keeps its identity and xyflow skips it.
  const hiddenCopies = useRef(new WeakMap<Node, Node>());
  const flowNodes = useMemo(() => {
    const handed: Node[] = [];
    for (const node of nodes) {
      if (node.hidden) continue;
      if (domIds.has(node.id)) handed.push(node);
      else if (node.selected) {
        let copy = hiddenCopies.current.get(node);
        if (!copy) hiddenCopies.current.set(node, (copy = { ...node, hidden: true }));
        handed.push(copy);
      }
    }
    return handed;
  }, [nodes, domIds]);

  return { flowNodes, domIds, hover, nodeAt, nodesInside };
}
