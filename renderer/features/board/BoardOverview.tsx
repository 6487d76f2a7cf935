import { useEffect, useMemo, useRef } from 'react';
import { useStoreApi, type Edge, type Node } from '@xyflow/react';
import { useViewportPaint } from './viewport-paint';
import type { Id } from '../../../shared/ids';
import { rectBoundaryPoint, type BoardNode, type Rect } from '../../../shared/model';
import { useBoardUi, type CanvasBadge, type CanvasBadgeSource } from './board-context';
import { CANVAS_MARGIN, canvasShift, dotGrid, OVERVIEW_ZOOM, viewRect, type DrawnView } from './level-of-detail';
import { STICKY_EDGE, STICKY_FILL } from './nodes/node-parts';

const SELECTED = '#5c7cfa';
/** The board's own colour (.board-canvas) and its dot grid: the canvas is opaque, the board's floor. */
const FLOOR = '#f6f7f9';
const DOT = '#ced4da';
const DOT_GAP = 24;
const DOT_SIZE = 1.5;
/** After this long without a pan step, a moved canvas is redrawn centred (full margins for the next pan). */
const REST_MS = 150;
const EDGE = '#495057';
const TITLE_FONT = '600 12px system-ui, sans-serif';

function boxOf(node: Node): Rect {
  return { ...node.position, width: node.width ?? 0, height: node.height ?? 0 };
}

/** What the canvas draws from: the board's flow nodes (in layer order) and edges, and which nodes the DOM shows. */
export interface OverviewSource {
  nodes: Node[];
  edges: Edge[];
  domIds: ReadonlySet<Id>;
}

interface Scene extends OverviewSource {
  byId: Map<Id, Node>;
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && a.x + a.width > b.x && a.y < b.y + b.height && a.y + a.height > b.y;
}

/**
 * The board drawn on one canvas under the DOM nodes: its floor and dot grid, every node at
 * overview zoom (the DOM nodes are then transparent hit targets), at reading zoom only those
 * without DOM yet. One opaque layer for all of it: a separate dot pattern layer (React Flow's
 * <Background>) cost a full-pane raster or blend per pan step in software compositing.
 * Positions come from the canvas's node list, which drags and remote moves update.
 */
export function BoardOverview(props: OverviewSource) {
  const store = useStoreApi();
  const { nodes: records, edges: edgeRecords, extensions } = useBoardUi();
  const badges = extensions.canvasBadges;
  const badgesVersion = useRef(0);
  const canvas = useRef<HTMLCanvasElement>(null);
  const byId = useMemo(() => new Map(props.nodes.map((node) => [node.id, node])), [props.nodes]);
  const scene = useRef<Scene>({ ...props, byId });
  scene.current = { ...props, byId };
  const rest = useRef(0);
  const schedule = useViewportPaint(() => {
    const cache: Cache = { layer: null, dots: null, drawn: null };
    const record = (id: Id) => records.get(id);
    return () => {
      const element = canvas.current;
      if (!element) return;
      const { transform, width, height } = store.getState();
      const now = { transform, width, height };
      const { nodes, edges, domIds } = scene.current;
      const drawn = cache.drawn;
      // A pan step moves the canvas drawn before (a compositor-only change); the board is
      // redrawn when that runs out, when anything else changed, and once the view rests.
      const version = badgesVersion.current;
      const unchanged = drawn && drawn.nodes === nodes && drawn.edges === edges && drawn.domIds === domIds && drawn.badges === version && !drawn.stale;
      const shift = unchanged ? canvasShift(drawn, now, CANVAS_MARGIN) : null;
      window.clearTimeout(rest.current);
      if (shift && drawn) {
        element.style.transform = `translate3d(${shift.x}px, ${shift.y}px, 0)`;
        rest.current = window.setTimeout(() => {
          drawn.stale = true;
          schedule();
        }, REST_MS);
        return;
      }
      const margin = CANVAS_MARGIN;
      const view = { transform: [transform[0] + margin, transform[1] + margin, transform[2]] as [number, number, number], width: width + 2 * margin, height: height + 2 * margin };
      const stickies = String(paint(element, cache, view, scene.current, record, (id) => edgeRecords.get(id)?.arrow ?? true, badges));
      element.style.transform = 'translate3d(0px, 0px, 0)';
      cache.drawn = { ...now, nodes, edges, domIds, badges: version, stale: false };
      if (element.dataset.stickies !== stickies) element.dataset.stickies = stickies;
    };
  }, [records, edgeRecords, badges]);

  useEffect(() => schedule(), [schedule, props.nodes, props.edges, props.domIds]);
  useEffect(
    () =>
      badges?.subscribe(() => {
        badgesVersion.current += 1;
        schedule();
      }),
    [badges, schedule],
  );
  useEffect(() => () => window.clearTimeout(rest.current), []);

  const reach = { left: -CANVAS_MARGIN, top: -CANVAS_MARGIN, width: `calc(100% + ${2 * CANVAS_MARGIN}px)`, height: `calc(100% + ${2 * CANVAS_MARGIN}px)` };
  return <canvas ref={canvas} className="board-overview" style={reach} data-testid="board-overview" aria-hidden />;
}

/**
 * What the canvas draws, as paths in board coordinates: built when nodes, the DOM set or the
 * mode change, so a pan or zoom step only re-fills a few paths (10,000 rectangles rebuilt
 * per frame cost more than the drawing).
 */
interface Layer {
  source: unknown[];
  /** Paths per tile of the board, so a view draws only the tiles it overlaps. */
  tiles: Map<string, Tile>;
  frames: Array<[Rect, BoardNode]>;
  selected: Rect[];
  stickies: number;
}

interface Tile {
  bounds: Rect;
  fills: Map<string, Path2D>;
  strips: Map<string, Path2D>;
}

const TILE = 4000;

function pathOf(map: Map<string, Path2D>, color: string): Path2D {
  let path = map.get(color);
  if (!path) map.set(color, (path = new Path2D()));
  return path;
}

/** The tile a node's top-left corner is in, grown to hold the whole node. */
function tileOf(tiles: Map<string, Tile>, box: Rect): Tile {
  const key = `${Math.floor(box.x / TILE)}:${Math.floor(box.y / TILE)}`;
  let tile = tiles.get(key);
  if (!tile) tiles.set(key, (tile = { bounds: { ...box }, fills: new Map(), strips: new Map() }));
  const { bounds } = tile;
  const right = Math.max(bounds.x + bounds.width, box.x + box.width);
  const bottom = Math.max(bounds.y + bounds.height, box.y + box.height);
  bounds.x = Math.min(bounds.x, box.x);
  bounds.y = Math.min(bounds.y, box.y);
  bounds.width = right - bounds.x;
  bounds.height = bottom - bounds.y;
  return tile;
}

function buildLayer(source: unknown[], { nodes, domIds }: Scene, overview: boolean, record: (id: Id) => BoardNode | undefined): Layer {
  const layer: Layer = { source, tiles: new Map(), frames: [], selected: [], stickies: 0 };
  // All nodes at overview zoom, else those the DOM does not show yet (`hidden` here means
  // private to someone else: never drawn). `nodes` is in layer order, frames first.
  for (const node of nodes) {
    if (node.hidden || (!overview && domIds.has(node.id))) continue;
    const data = record(node.id);
    if (!data) continue;
    const box = boxOf(node);
    if (node.selected) layer.selected.push(box);
    if (data.type === 'frame') {
      layer.frames.push([box, data]);
      continue;
    }
    const tile = tileOf(layer.tiles, box);
    if (data.type === 'sticky') {
      layer.stickies += 1;
      pathOf(tile.fills, STICKY_FILL[data.color]).rect(box.x, box.y, box.width, box.height);
      pathOf(tile.strips, STICKY_EDGE[data.color]).rect(box.x, box.y + box.height - 3, box.width, 3);
    } else if (data.type === 'reference') {
      pathOf(tile.fills, '#ffffff').rect(box.x, box.y, box.width, box.height);
      pathOf(tile.strips, data.ref?.kind === 'project' ? '#5c7cfa' : '#ff6b6b').rect(box.x, box.y, 5, box.height);
    } else {
      // a text block: a grey bar where its first line is
      pathOf(tile.fills, 'rgba(33, 37, 41, 0.35)').rect(box.x, box.y + box.height * 0.2, box.width * 0.8, Math.min(box.height * 0.4, 24));
    }
  }
  return layer;
}

interface Cache {
  layer: Layer | null;
  /** What the canvas shows now; `stale` once the view has rested after pans that only moved it. */
  drawn: (DrawnView & { nodes: Node[]; edges: Edge[]; domIds: ReadonlySet<Id>; badges: number; stale: boolean }) | null;
  /** The dot tile for one tile size and zoom. */
  dots: { key: string; pattern: CanvasPattern } | null;
}

function dotPattern(context: CanvasRenderingContext2D, cache: Cache, tile: number, zoom: number, ratio: number): CanvasPattern | null {
  const key = `${tile}:${zoom}:${ratio}`;
  if (cache.dots?.key === key) return cache.dots.pattern;
  const image = document.createElement('canvas');
  image.width = tile;
  image.height = tile;
  const draw = image.getContext('2d');
  if (!draw) return null;
  draw.fillStyle = DOT;
  draw.beginPath();
  draw.arc(tile / 2, tile / 2, Math.max(0.5, (DOT_SIZE * zoom * ratio) / 2), 0, Math.PI * 2);
  draw.fill();
  const pattern = context.createPattern(image, 'repeat');
  cache.dots = pattern ? { key, pattern } : null;
  return pattern;
}

function sameSource(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** Draws the board; returns how many stickies it drew (on the element as data-stickies, for tests and the bench). */
function paint(
  element: HTMLCanvasElement,
  cache: Cache,
  { transform, width, height }: { transform: [number, number, number]; width: number; height: number },
  scene: Scene,
  record: (id: Id) => BoardNode | undefined,
  arrowOf: (id: Id) => boolean,
  badges: CanvasBadgeSource | undefined,
): number {
  const ratio = window.devicePixelRatio || 1;
  if (element.width !== Math.round(width * ratio) || element.height !== Math.round(height * ratio)) {
    element.width = Math.round(width * ratio);
    element.height = Math.round(height * ratio);
  }
  // opaque: the compositor copies it instead of blending, and nothing under it is drawn
  const context = element.getContext('2d', { alpha: false });
  if (!context) return 0;
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.fillStyle = FLOOR;
  context.fillRect(0, 0, element.width, element.height);
  const grid = dotGrid(transform, DOT_GAP, ratio);
  const pattern = grid && dotPattern(context, cache, grid.tile, transform[2], ratio);
  if (grid && pattern) {
    pattern.setTransform(new DOMMatrix([grid.scale, 0, 0, grid.scale, grid.x, grid.y]));
    context.fillStyle = pattern;
    context.fillRect(0, 0, element.width, element.height);
  }
  const [tx, ty, zoom] = transform;
  const overview = zoom < OVERVIEW_ZOOM;
  const source = [scene.nodes, scene.domIds, overview, record];
  if (!cache.layer || !sameSource(cache.layer.source, source)) cache.layer = buildLayer(source, scene, overview, record);
  const layer = cache.layer;
  const view = viewRect(transform, width, height);
  context.setTransform(ratio * zoom, 0, 0, ratio * zoom, ratio * tx, ratio * ty);
  const pixel = 1 / zoom;

  for (const [box, data] of layer.frames) {
    if (!overlaps(box, view)) continue;
    context.fillStyle = `${STICKY_FILL[data.color]}66`;
    context.fillRect(box.x, box.y, box.width, box.height);
    context.strokeStyle = STICKY_EDGE[data.color];
    context.lineWidth = Math.max(2, pixel);
    context.strokeRect(box.x, box.y, box.width, box.height);
  }

  context.strokeStyle = EDGE;
  context.fillStyle = EDGE;
  context.lineWidth = Math.max(2, 1.5 * pixel);
  const { byId, domIds } = scene;
  for (const edge of scene.edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target || source.hidden || target.hidden) continue;
    // the DOM draws a connector only when both ends are DOM nodes
    if (!overview && domIds.has(source.id) && domIds.has(target.id)) continue;
    const from = boxOf(source);
    const to = boxOf(target);
    if (!overlaps(view, { x: Math.min(from.x, to.x), y: Math.min(from.y, to.y), width: Math.abs(to.x - from.x) + to.width + from.width, height: Math.abs(to.y - from.y) + to.height + from.height })) continue;
    const start = rectBoundaryPoint(from, { x: to.x + to.width / 2, y: to.y + to.height / 2 });
    const end = rectBoundaryPoint(to, { x: from.x + from.width / 2, y: from.y + from.height / 2 });
    context.beginPath();
    context.moveTo(start.x, start.y);
    context.lineTo(end.x, end.y);
    context.stroke();
    if (arrowOf(edge.id)) {
      const angle = Math.atan2(end.y - start.y, end.x - start.x);
      const size = Math.max(12, 6 * pixel);
      context.beginPath();
      context.moveTo(end.x, end.y);
      context.lineTo(end.x - size * Math.cos(angle - 0.45), end.y - size * Math.sin(angle - 0.45));
      context.lineTo(end.x - size * Math.cos(angle + 0.45), end.y - size * Math.sin(angle + 0.45));
      context.fill();
    }
  }

  for (const tile of layer.tiles.values()) {
    if (!overlaps(tile.bounds, view)) continue;
    for (const [color, path] of tile.fills) {
      context.fillStyle = color;
      context.fill(path);
    }
    // the coloured bottom edge only where it is more than a hair
    if (zoom <= 0.1) continue;
    for (const [color, path] of tile.strips) {
      context.fillStyle = color;
      context.fill(path);
    }
  }

  if (layer.selected.length > 0) {
    context.strokeStyle = SELECTED;
    context.lineWidth = 2 * pixel;
    for (const box of layer.selected) context.strokeRect(box.x - pixel, box.y - pixel, box.width + 2 * pixel, box.height + 2 * pixel);
  }

  // Frame titles stay readable at any zoom: drawn in screen pixels, cut to the frame's width.
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.font = TITLE_FONT;
  context.textBaseline = 'middle';
  for (const [box, data] of layer.frames) {
    const left = box.x * zoom + tx;
    const top = box.y * zoom + ty;
    const room = box.width * zoom - 8;
    if (room < 30 || !data.text || top < -10 || top > height + 10 || left > width || left + room < 0) continue;
    const text = fitText(context, data.text, room - 12);
    const textWidth = measure(context, text);
    context.fillStyle = STICKY_FILL[data.color];
    context.fillRect(left + 4, top - 9, textWidth + 12, 18);
    context.fillStyle = '#212529';
    context.fillText(text, left + 10, top);
  }

  // Vote and lock badges, in screen pixels at the node's top-right corner like the DOM's,
  // for the nodes this canvas draws (the DOM nodes show their own at reading zoom).
  if (badges) {
    context.font = BADGE_FONT;
    context.textAlign = 'center';
    for (const [id, badge] of badges.entries()) {
      const node = scene.byId.get(id);
      if (!node || node.hidden || (!overview && scene.domIds.has(id))) continue;
      const box = boxOf(node);
      const right = (box.x + box.width) * zoom + tx;
      const top = box.y * zoom + ty;
      if (right < -40 || top < -20 || right - 40 > width || top - 20 > height) continue;
      drawBadge(context, right, top, badge);
    }
    context.textAlign = 'start';
  }
  return layer.stickies;
}

const BADGE_FONT = '700 12px system-ui, sans-serif';
const BADGE_HEIGHT = 20;
/** --mantine-color-indigo-6, teal-6 and gray-7: the DOM badges' colours (session.css). */
const BADGE_COLORS = { votes: '#4c6ef5', mine: '#12b886', lock: '#495057' } as const;

function pill(context: CanvasRenderingContext2D, left: number, top: number, width: number, color: string): void {
  const radius = BADGE_HEIGHT / 2;
  context.fillStyle = color;
  context.beginPath();
  context.arc(left + radius, top + radius, radius, Math.PI / 2, (3 * Math.PI) / 2);
  context.arc(left + width - radius, top + radius, radius, -Math.PI / 2, Math.PI / 2);
  context.closePath();
  context.fill();
}

/** A vote count (or the viewer's own votes as dots) and a lock mark, centred on the corner at `right`, `top`. */
function drawBadge(context: CanvasRenderingContext2D, right: number, top: number, badge: CanvasBadge): void {
  let end = right + BADGE_HEIGHT / 2;
  const y = top - BADGE_HEIGHT / 2;
  if (badge.count > 0) {
    const text = badge.mine ? '●'.repeat(Math.min(badge.count, 5)) : String(badge.count);
    const width = Math.max(BADGE_HEIGHT, context.measureText(text).width + 12);
    pill(context, end - width, y, width, badge.mine ? BADGE_COLORS.mine : BADGE_COLORS.votes);
    context.fillStyle = '#ffffff';
    context.fillText(text, end - width / 2, y + BADGE_HEIGHT / 2 + 1);
    end -= width + 3;
  }
  if (badge.locked) {
    pill(context, end - BADGE_HEIGHT, y, BADGE_HEIGHT, BADGE_COLORS.lock);
    // a padlock: a shackle over a body
    const cx = end - BADGE_HEIGHT / 2;
    const cy = y + BADGE_HEIGHT / 2;
    context.strokeStyle = '#ffffff';
    context.lineWidth = 1.5;
    context.beginPath();
    context.arc(cx, cy - 1, 3, Math.PI, 0);
    context.stroke();
    context.fillStyle = '#ffffff';
    context.fillRect(cx - 4.5, cy - 1, 9, 6);
  }
}

const widths = new Map<string, number>();

/** Title widths are measured once per text (all titles use TITLE_FONT). */
function measure(context: CanvasRenderingContext2D, text: string): number {
  let width = widths.get(text);
  if (width === undefined) {
    if (widths.size > 5000) widths.clear();
    widths.set(text, (width = context.measureText(text).width));
  }
  return width;
}

function fitText(context: CanvasRenderingContext2D, text: string, room: number): string {
  const full = measure(context, text);
  if (full <= room) return text;
  // proportional cut: the font is near enough to even widths for a title
  return `${text.slice(0, Math.max(1, Math.floor((text.length * room) / full) - 1))}…`;
}
