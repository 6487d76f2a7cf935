import type { Id } from '../../../shared/ids';
import type { Point, Rect } from '../../../shared/model';

/**
 * Level of detail for big boards. Below OVERVIEW_ZOOM the board is drawn on one canvas
 * (text is unreadable there anyway) and the DOM holds only the nodes the pointer is on,
 * the selection and the one being edited; at reading zoom the DOM holds the nodes in
 * view (plus a margin) and the canvas fills in the rest while panning.
 */
export const OVERVIEW_ZOOM = 0.4;
/** A selection larger than this stays on the canvas at overview zoom (mounting it would stall). */
export const PINNED_SELECTION_LIMIT = 50;
/** Extra view around the screen kept in the DOM at reading zoom, as a fraction of its size. */
export const VIEW_MARGIN = 0.25;

export interface LodNode extends Rect {
  id: Id;
  type: string;
}

const CELL = 800;

/** Uniform grid over node rectangles: which nodes touch a rectangle or a point, without scanning 10,000. */
export class SpatialGrid<T extends LodNode> {
  private readonly cells = new Map<string, T[]>();

  constructor(nodes: Iterable<T>) {
    for (const node of nodes) {
      const x0 = Math.floor(node.x / CELL);
      const x1 = Math.floor((node.x + node.width) / CELL);
      const y0 = Math.floor(node.y / CELL);
      const y1 = Math.floor((node.y + node.height) / CELL);
      for (let cx = x0; cx <= x1; cx++) {
        for (let cy = y0; cy <= y1; cy++) {
          const key = `${cx}:${cy}`;
          const cell = this.cells.get(key);
          if (cell) cell.push(node);
          else this.cells.set(key, [node]);
        }
      }
    }
  }

  /** Nodes overlapping `rect` (each once). */
  overlapping(rect: Rect): T[] {
    const found = new Set<T>();
    const x0 = Math.floor(rect.x / CELL);
    const x1 = Math.floor((rect.x + rect.width) / CELL);
    const y0 = Math.floor(rect.y / CELL);
    const y1 = Math.floor((rect.y + rect.height) / CELL);
    // a huge rectangle (far zoom) costs more in cells than a scan of the nodes
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > this.cells.size) {
      for (const cell of this.cells.values()) for (const node of cell) if (overlaps(node, rect)) found.add(node);
      return [...found];
    }
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        for (const node of this.cells.get(`${cx}:${cy}`) ?? []) if (overlaps(node, rect)) found.add(node);
      }
    }
    return [...found];
  }

  /** The node a click at `point` lands on: anything over frames, the smallest frame among frames. */
  at(point: Point): T | undefined {
    const cell = this.cells.get(`${Math.floor(point.x / CELL)}:${Math.floor(point.y / CELL)}`) ?? [];
    let best: T | undefined;
    for (const node of cell) {
      if (point.x < node.x || point.y < node.y || point.x > node.x + node.width || point.y > node.y + node.height) continue;
      if (!best || drawsOver(node, best)) best = node;
    }
    return best;
  }
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && a.x + a.width > b.x && a.y < b.y + b.height && a.y + a.height > b.y;
}

function drawsOver(a: LodNode, b: LodNode): boolean {
  if ((a.type === 'frame') !== (b.type === 'frame')) return b.type === 'frame';
  if (a.type === 'frame') return a.width * a.height < b.width * b.height;
  return false;
}

/** The visible part of the board in flow coordinates, for a viewport transform [x, y, zoom] and a pane size. */
export function viewRect(transform: readonly [number, number, number], width: number, height: number, margin = 0): Rect {
  const [tx, ty, zoom] = transform;
  const w = width / zoom;
  const h = height / zoom;
  return { x: -tx / zoom - w * margin, y: -ty / zoom - h * margin, width: w * (1 + 2 * margin), height: h * (1 + 2 * margin) };
}

export function contains(outer: Rect, inner: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

/**
 * Which nodes get DOM elements: at reading zoom those overlapping the view with its margin;
 * always the pinned ones (under the pointer, selected, edited).
 */
export function domNodeIds<T extends LodNode>(grid: SpatialGrid<T>, zoom: number, view: Rect, pinned: Iterable<Id>): Set<Id> {
  const ids = new Set<Id>(pinned);
  if (zoom >= OVERVIEW_ZOOM) for (const node of grid.overlapping(view)) ids.add(node.id);
  return ids;
}

export function sameIds(a: ReadonlySet<Id>, b: ReadonlySet<Id>): boolean {
  if (a.size !== b.size) return false;
  for (const id of a) if (!b.has(id)) return false;
  return true;
}

/**
 * The board's dot grid for a viewport, in device pixels: one dot per `gap` board units, on
 * board points that are multiples of `gap` (so the dots move with the board). A pattern tile
 * must be whole pixels, so it is `tile` pixels square, drawn with its dot in the centre and
 * scaled by `scale` to the real step; `x`, `y` are where a tile's corner goes. No dots below
 * overview zoom, where they would be sub-pixel noise.
 */
export function dotGrid([tx, ty, zoom]: readonly [number, number, number], gap: number, ratio: number): { tile: number; scale: number; x: number; y: number } | null {
  if (zoom < OVERVIEW_ZOOM) return null;
  const step = gap * zoom * ratio;
  const tile = Math.max(2, Math.round(step));
  // the tile's centre lands on tx, ty (board 0, 0); the pattern repeats from there
  const origin = (t: number) => (((t * ratio - step / 2) % step) + step) % step;
  return { tile, scale: step / tile, x: origin(tx), y: origin(ty) };
}

/** How far (CSS pixels) the overview canvas reaches past each side of the pane: a pan within it moves the canvas instead of redrawing it. */
export const CANVAS_MARGIN = 192;

export interface DrawnView {
  transform: readonly [number, number, number];
  width: number;
  height: number;
}

/**
 * The CSS shift that shows a canvas drawn for `drawn` (with `margin` around the pane) at the
 * view `now`, or null when it must be redrawn: the zoom or the pane size changed, or the pan
 * went further than the margin, where the canvas has nothing drawn.
 */
export function canvasShift(drawn: DrawnView, now: DrawnView, margin: number): { x: number; y: number } | null {
  if (drawn.transform[2] !== now.transform[2] || drawn.width !== now.width || drawn.height !== now.height) return null;
  const x = now.transform[0] - drawn.transform[0];
  const y = now.transform[1] - drawn.transform[1];
  return Math.abs(x) <= margin && Math.abs(y) <= margin ? { x, y } : null;
}
