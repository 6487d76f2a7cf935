import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newId } from '../ids';
import { decodeClip, encodeClip } from './board-clip';
import { BoardDoc } from './board-doc';
import {
  alignNodes,
  arrangeInGrid,
  carryFrameContents,
  clipOf,
  fitFontSize,
  frameMembers,
  moveWithFrames,
  nudgeDelta,
  offsetToCenter,
  parentAssignments,
  rectBoundaryPoint,
  remapClip,
  searchNodes,
} from './board-geometry';
import type { BoardEdge, BoardNode } from './records';

const author = { name: 'Анна', color: '#e64980' };
let counter = 0;
function node(type: BoardNode['type'], x: number, y: number, width = 180, height = 140, text = ''): BoardNode {
  counter += 1;
  return {
    id: `N${String(counter).padStart(15, '0')}`,
    type,
    x,
    y,
    width,
    height,
    text,
    color: 'yellow',
    createdAt: '2026-11-22T06:00:00.000Z',
  };
}
function edge(source: BoardNode, target: BoardNode, label?: string): BoardEdge {
  counter += 1;
  return { id: `E${String(counter).padStart(15, '0')}`, source: source.id, target: target.id, label, arrow: true };
}

describe('frame containment', () => {
  const outer = node('frame', 0, 0, 1000, 800, 'Проблемы');
  const inner = node('frame', 50, 50, 400, 300, 'Дороги');
  const inInner = node('sticky', 100, 100);
  const inOuter = node('sticky', 600, 500);
  const outside = node('sticky', 1200, 100);
  const straddling = node('sticky', 950, 100); // centre at x=1040: outside
  const all = [outer, inner, inInner, inOuter, outside, straddling];

  it('puts each node in the innermost frame that holds its centre', () => {
    const parents = parentAssignments(all);
    expect(parents.get(inInner.id)).toBe(inner.id);
    expect(parents.get(inner.id)).toBe(outer.id);
    expect(parents.get(inOuter.id)).toBe(outer.id);
    expect(parents.has(outside.id)).toBe(false);
    expect(parents.has(straddling.id)).toBe(false);
    expect(parents.has(outer.id)).toBe(false);
  });

  it('lists members through nested frames', () => {
    expect(new Set(frameMembers(outer.id, all).map((n) => n.id))).toEqual(new Set([inner.id, inInner.id, inOuter.id]));
    expect(frameMembers(inner.id, all).map((n) => n.id)).toEqual([inInner.id]);
  });

  it('moves a frame with everything inside it, nested frames included, and nothing else', () => {
    const moved = moveWithFrames([outer.id], { x: 300, y: -20 }, all);
    expect(moved.get(outer.id)).toEqual({ x: 300, y: -20 });
    expect(moved.get(inner.id)).toEqual({ x: 350, y: 30 });
    expect(moved.get(inInner.id)).toEqual({ x: 400, y: 80 });
    expect(moved.get(inOuter.id)).toEqual({ x: 900, y: 480 });
    expect(moved.has(outside.id)).toBe(false);
  });

  it('moves a child once when both the frame and the child are dragged', () => {
    const moved = moveWithFrames([inner.id, inInner.id], { x: 10, y: 10 }, all);
    expect(moved.get(inInner.id)).toEqual({ x: 110, y: 110 });
    expect(moved.size).toBe(2);
  });

  it('carries the contents of a frame that align or grid moves', () => {
    const positions = carryFrameContents(new Map([[inner.id, { x: 70, y: 50 }], [outside.id, { x: 0, y: 900 }]]), all);
    expect(positions.get(inInner.id)).toEqual({ x: 120, y: 100 });
    expect(positions.get(outside.id)).toEqual({ x: 0, y: 900 });
    expect(positions.size).toBe(3);
  });

  it('moving a sticky moves only that sticky', () => {
    expect([...moveWithFrames([inOuter.id], { x: 5, y: 0 }, all).keys()]).toEqual([inOuter.id]);
  });
});

describe('a board doc records frame membership as nodes move', () => {
  it('sets parentId when a sticky is dropped in a frame and clears it when dragged out', () => {
    const board = new BoardDoc(new Y.Doc());
    const frame = board.addNode('frame', { x: 0, y: 0 }, author, { text: 'Идеи' });
    const sticky = board.addSticky({ x: 2000, y: 2000 }, author);
    expect(board.nodes.get(sticky.id)?.parentId).toBeUndefined();
    board.moveNode(sticky.id, { x: 100, y: 100 });
    expect(board.nodes.get(sticky.id)?.parentId).toBe(frame.id);
    board.moveNode(sticky.id, { x: 3000, y: 100 });
    expect(board.nodes.get(sticky.id)?.parentId).toBeUndefined();
  });

  it('a frame moved over stickies adopts them, and undo of the move is one step', () => {
    const doc = new Y.Doc();
    const origin = { window: 'test' };
    const board = new BoardDoc(doc, origin);
    const sticky = board.addSticky({ x: 1000, y: 1000 }, author);
    const frame = board.addNode('frame', { x: 0, y: 0 }, author);
    const undo = new Y.UndoManager([doc.getMap('nodes'), doc.getMap('edges')], { trackedOrigins: new Set([origin]) });
    board.moveNodes(moveWithFrames([frame.id], { x: 900, y: 900 }, board.nodes.list()));
    expect(board.nodes.get(sticky.id)?.parentId).toBe(frame.id);
    undo.undo();
    expect(board.nodes.get(frame.id)).toMatchObject({ x: 0, y: 0 });
    expect(board.nodes.get(sticky.id)?.parentId).toBeUndefined();
  });

  it('refuses a connector from a node to itself or to a missing node', () => {
    const board = new BoardDoc(new Y.Doc());
    const a = board.addSticky({ x: 0, y: 0 }, author);
    const b = board.addSticky({ x: 300, y: 0 }, author);
    expect(board.connect(a.id, a.id)).toBeUndefined();
    expect(board.connect(a.id, newId())).toBeUndefined();
    expect(board.connect(a.id, b.id, { label: 'ведёт к' })).toMatchObject({ source: a.id, target: b.id, label: 'ведёт к', arrow: true });
    board.deleteNodes([b.id]);
    expect(board.edges.size).toBe(0);
  });
});

describe('align and arrange', () => {
  const a = node('sticky', 0, 0, 100, 100);
  const b = node('sticky', 300, 50, 200, 60);
  const c = node('sticky', 120, 400, 100, 100);

  it('aligns left, centre and right edges to the selection bounds', () => {
    expect(alignNodes([a, b, c], 'left').get(b.id)).toEqual({ x: 0, y: 50 });
    expect(alignNodes([a, b, c], 'right').get(a.id)).toEqual({ x: 400, y: 0 });
    expect(alignNodes([a, b, c], 'center').get(b.id)).toEqual({ x: 150, y: 50 });
  });

  it('aligns top, middle and bottom', () => {
    expect(alignNodes([a, b, c], 'top').get(c.id)).toEqual({ x: 120, y: 0 });
    expect(alignNodes([a, b, c], 'bottom').get(b.id)).toEqual({ x: 300, y: 440 });
    expect(alignNodes([a, b, c], 'middle').get(a.id)).toEqual({ x: 0, y: 200 });
  });

  it('does nothing for a single node', () => {
    expect(alignNodes([a], 'left').size).toBe(0);
  });

  it('arranges in a near-square grid of equal cells in reading order, without overlaps', () => {
    const scattered = Array.from({ length: 7 }, (_, i) => node('sticky', (i * 977) % 1500, (i * 613) % 900, 180, 140));
    const grid = arrangeInGrid(scattered, 20);
    const xs = new Set([...grid.values()].map((p) => p.x));
    const ys = new Set([...grid.values()].map((p) => p.y));
    expect(xs.size).toBe(3);
    expect(ys.size).toBe(3);
    const minX = Math.min(...scattered.map((n) => n.x));
    const minY = Math.min(...scattered.map((n) => n.y));
    expect([...xs].sort((p, q) => p - q)).toEqual([minX, minX + 200, minX + 400]);
    expect([...ys].sort((p, q) => p - q)).toEqual([minY, minY + 160, minY + 320]);
    const topLeft = [...scattered].sort((p, q) => p.y - q.y || p.x - q.x)[0]!;
    expect(grid.get(topLeft.id)).toEqual({ x: minX, y: minY });
    expect(new Set([...grid.values()].map((p) => `${p.x},${p.y}`)).size).toBe(7);
  });

  it('nudges by a small step and a large one with Shift', () => {
    expect(nudgeDelta('left', false)).toEqual({ x: -10, y: 0 });
    expect(nudgeDelta('down', true)).toEqual({ x: 0, y: 50 });
  });
});

describe('copy, duplicate and paste', () => {
  const frame = node('frame', 0, 0, 800, 600, 'Кластер');
  const s1 = node('sticky', 50, 50, 180, 140, 'Дороги');
  const s2 = node('sticky', 300, 50, 180, 140, 'Освещение');
  const outside = node('sticky', 2000, 0, 180, 140, 'Снаружи');
  s1.parentId = frame.id;
  s2.parentId = frame.id;
  const nodes = [frame, s1, s2, outside];
  const inside = edge(s1, s2, 'причина');
  const toOutside = edge(s2, outside);
  const edges = [inside, toOutside];

  it('a copied frame brings its stickies and the edges between them, not edges to the outside', () => {
    const clip = clipOf([frame.id], nodes, edges);
    expect(clip.nodes.map((n) => n.id).sort()).toEqual([frame.id, s1.id, s2.id].sort());
    expect(clip.edges.map((e) => e.id)).toEqual([inside.id]);
  });

  it('remaps every id so the copy shares nothing with the originals', () => {
    const clip = clipOf([frame.id], nodes, edges);
    const copy = remapClip(clip, { x: 40, y: 40 }, newId, '2026-11-22T07:00:00.000Z');
    const originalIds = new Set(nodes.map((n) => n.id));
    for (const n of copy.nodes) expect(originalIds.has(n.id)).toBe(false);
    const copiedFrame = copy.nodes.find((n) => n.type === 'frame')!;
    const copiedS1 = copy.nodes.find((n) => n.text === 'Дороги')!;
    const copiedS2 = copy.nodes.find((n) => n.text === 'Освещение')!;
    expect(copiedS1).toMatchObject({ x: 90, y: 90, parentId: copiedFrame.id, createdAt: '2026-11-22T07:00:00.000Z' });
    expect(copy.edges).toEqual([{ ...inside, id: copy.edges[0]!.id, source: copiedS1.id, target: copiedS2.id }]);
    expect(copy.edges[0]!.id).not.toBe(inside.id);
  });

  it('a sticky copied without its frame loses the parent link', () => {
    const copy = remapClip(clipOf([s1.id, s2.id], nodes, edges), { x: 0, y: 0 }, newId, 'now');
    expect(copy.nodes.every((n) => n.parentId === undefined)).toBe(true);
    expect(copy.edges).toHaveLength(1);
  });

  it('pastes into another board as one undoable step, centred where asked', () => {
    const doc = new Y.Doc();
    const origin = { window: 'test' };
    const target = new BoardDoc(doc, origin);
    const undo = new Y.UndoManager([doc.getMap('nodes'), doc.getMap('edges')], { trackedOrigins: new Set([origin]) });
    const clip = clipOf([frame.id], nodes, edges);
    const copy = remapClip(clip, offsetToCenter(clip, { x: 5000, y: 5000 }), newId, new Date().toISOString());
    target.insertClip(copy);
    expect(target.nodes.size).toBe(3);
    expect(target.edges.size).toBe(1);
    expect(target.nodes.get(copy.nodes.find((n) => n.type === 'frame')!.id)).toMatchObject({ x: 4600, y: 4700 });
    const sticky = target.nodes.list().find((n) => n.text === 'Дороги')!;
    expect(sticky.parentId).toBe(copy.nodes.find((n) => n.type === 'frame')!.id);
    undo.undo();
    expect(target.nodes.size).toBe(0);
    expect(target.edges.size).toBe(0);
  });
});

describe('sticky text fitting and board search', () => {
  it('keeps the largest font for short text and shrinks it for long text, never below the minimum', () => {
    expect(fitFontSize('Ямы', 180, 110)).toBe(18);
    const long = 'Нет освещения во дворах и на остановках, люди боятся ходить вечером. '.repeat(3);
    const shrunk = fitFontSize(long, 180, 110);
    expect(shrunk).toBeLessThan(18);
    expect(shrunk).toBeGreaterThanOrEqual(9);
    expect(fitFontSize(long, 360, 220)).toBeGreaterThan(shrunk);
    expect(fitFontSize('x'.repeat(5000), 180, 110)).toBe(9);
  });

  it('finds nodes by text case-insensitively in reading order', () => {
    const a = node('sticky', 500, 0, 180, 140, 'Ремонт ДОРОГ');
    const b = node('sticky', 0, 0, 180, 140, 'дороги к школе');
    const c = node('sticky', 0, 500, 180, 140, 'Парк');
    expect(searchNodes([a, b, c], 'дорог').map((n) => n.id)).toEqual([b.id, a.id]);
    expect(searchNodes([a, b, c], '  ')).toEqual([]);
  });
});

describe('connector ends', () => {
  it('leave a node through the side facing the other node', () => {
    const rect = { x: 0, y: 0, width: 200, height: 100 };
    expect(rectBoundaryPoint(rect, { x: 1000, y: 50 })).toEqual({ x: 200, y: 50 });
    expect(rectBoundaryPoint(rect, { x: 100, y: -500 })).toEqual({ x: 100, y: 0 });
    expect(rectBoundaryPoint(rect, { x: 100, y: 50 })).toEqual({ x: 100, y: 50 });
  });
});

describe('the clipboard payload', () => {
  it('round-trips a clip and rejects text that is not a Stratboard payload', () => {
    const a = node('sticky', 0, 0, 180, 140, 'Скопировано');
    const b = node('sticky', 300, 0);
    const clip = { nodes: [a, b], edges: [edge(a, b, 'связь')] };
    expect(decodeClip(encodeClip(clip))).toEqual(clip);
    expect(decodeClip('просто текст')).toBeNull();
    expect(decodeClip('{"kind":"stratboard/board-clip","version":1,"nodes":[{"id":"bad"}],"edges":[]}')).toBeNull();
    expect(decodeClip('{"kind":"stratboard/board-clip"')).toBeNull();
  });
});
