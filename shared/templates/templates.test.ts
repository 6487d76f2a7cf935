import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardDoc, WorkspaceIndex, type BoardNode } from '../model';
import { applyTemplate, EmptyTemplateError, saveBoardAsTemplate } from './apply';
import { builtinTemplate, builtinTemplateIds, builtinTemplates } from './builtin';

type Rect = Pick<BoardNode, 'x' | 'y' | 'width' | 'height'>;

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (inner: Rect, outer: Rect) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

/** What a user would call "a clean layout": frames apart, contents inside one frame or outside all, nothing on top of anything. */
function layoutProblems(nodes: BoardNode[]): string[] {
  const problems: string[] = [];
  const frames = nodes.filter((n) => n.type === 'frame');
  const items = nodes.filter((n) => n.type !== 'frame');
  frames.forEach((a, i) => frames.slice(i + 1).forEach((b) => overlaps(a, b) && problems.push(`frames «${a.text}» and «${b.text}» overlap`)));
  items.forEach((a, i) =>
    items.slice(i + 1).forEach((b) => overlaps(a, b) && problems.push(`«${a.text.slice(0, 30)}» covers «${b.text.slice(0, 30)}»`)),
  );
  for (const item of items) {
    const touching = frames.filter((f) => overlaps(item, f));
    if (touching.length > 1 || (touching.length === 1 && !inside(item, touching[0]!))) {
      problems.push(`«${item.text.slice(0, 30)}» straddles a frame edge`);
    }
    for (const frame of touching) {
      if (item.y < frame.y + 56) problems.push(`«${item.text.slice(0, 30)}» covers the title of «${frame.text}»`);
    }
  }
  return problems;
}

describe('built-in templates', () => {
  it('come in the five formats of the brief, each with Russian frame titles, prompts and an agenda', () => {
    expect(builtinTemplates.map((t) => t.builtinId)).toEqual([...builtinTemplateIds]);
    const frameTitles = (id: (typeof builtinTemplateIds)[number]) =>
      builtinTemplate(id)
        .nodes.filter((n) => n.type === 'frame')
        .map((n) => n.text);
    expect(frameTitles('problem-tree')).toEqual(['Последствия', 'Центральная проблема', 'Причины']);
    expect(frameTitles('swot')).toEqual(['Сильные стороны (S)', 'Слабые стороны (W)', 'Возможности (O)', 'Угрозы (T)']);
    expect(frameTitles('stakeholders')).toEqual(['Жители', 'Бизнес', 'Органы местного самоуправления']);
    expect(frameTitles('future-district')).toContain('Идея проекта');
    expect(frameTitles('idea-decision')).toEqual(['Идеи', 'Критерии', 'Решение']);
    for (const template of builtinTemplates) {
      expect(template.nodes.filter((n) => n.type === 'text').length).toBeGreaterThan(frameTitles(template.builtinId).length);
      expect(template.agenda.length).toBeGreaterThan(0);
    }
  });

  it.each(builtinTemplateIds)('%s applies to an empty board with every frame titled and nothing overlapping', (id) => {
    const board = new BoardDoc(new Y.Doc());
    const applied = applyTemplate(board, builtinTemplate(id));
    const nodes = board.nodes.list();
    expect(nodes).toHaveLength(builtinTemplate(id).nodes.length);
    expect(applied.nodeIds.sort()).toEqual(nodes.map((n) => n.id).sort());
    expect(nodes.filter((n) => n.type === 'frame').every((f) => f.text.trim().length > 0)).toBe(true);
    expect(layoutProblems(nodes)).toEqual([]);
    expect(board.edges.size).toBe(builtinTemplate(id).edges.length);
    expect(applied.agenda).toEqual(builtinTemplate(id).agenda);
  });

  it('placed on a board that already has content, covers none of it', () => {
    const board = new BoardDoc(new Y.Doc());
    const sticky = board.addSticky({ x: 400, y: 300 }, { name: 'Анна', color: '#2f9e44' }, 'yellow', 'Уже здесь');
    applyTemplate(board, builtinTemplate('swot'));
    expect(layoutProblems(board.nodes.list())).toEqual([]);
    expect(board.nodes.get(sticky.id)).toMatchObject({ x: 400, y: 300, text: 'Уже здесь' });
  });

  it('is one undo step', () => {
    const doc = new Y.Doc();
    const origin = { window: 'local' };
    const board = new BoardDoc(doc, origin);
    const undo = new Y.UndoManager([doc.getMap('nodes'), doc.getMap('edges')], { trackedOrigins: new Set([origin]) });
    applyTemplate(board, builtinTemplate('problem-tree'));
    expect(board.nodes.size).toBeGreaterThan(0);
    undo.undo();
    expect(board.nodes.size).toBe(0);
    expect(board.edges.size).toBe(0);
  });
});

describe('save board as template', () => {
  it('round-trips frames, prompts, stickies and connectors through the workspace index, moved to the origin', () => {
    const source = new BoardDoc(new Y.Doc());
    applyTemplate(source, builtinTemplate('idea-decision'));
    const author = { name: 'Иван', color: '#1971c2' };
    // moved away from the origin and with a participant's sticky, to see normalisation and author stripping
    for (const node of source.nodes.list()) source.moveNode(node.id, { x: node.x + 5000, y: node.y + 700 });
    source.addSticky({ x: 5030, y: 930 + 160 * 3 }, author, 'pink', 'Новая идея от участника');

    const indexDoc = new Y.Doc();
    const index = new WorkspaceIndex(indexDoc);
    const saved = saveBoardAsTemplate(index, source, { title: 'Наш формат', agenda: [{ title: 'Идеи', minutes: 15 }] });

    // through the doc's bytes, as another peer would read it
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(indexDoc));
    const stored = new WorkspaceIndex(peer).templates.get(saved.id)!;
    expect(stored.title).toBe('Наш формат');
    expect(stored.agenda).toEqual([{ title: 'Идеи', minutes: 15 }]);
    expect(Math.min(...stored.nodes.map((n) => n.x))).toBe(0);
    expect(Math.min(...stored.nodes.map((n) => n.y))).toBe(0);
    expect(stored.edges).toHaveLength(2);

    const target = new BoardDoc(new Y.Doc());
    applyTemplate(target, stored);
    const texts = (board: BoardDoc) => board.nodes.list().map((n) => `${n.type}:${n.text}`).sort();
    expect(texts(target)).toEqual(texts(source));
    expect(target.nodes.list().some((n) => n.authorName)).toBe(false);
    expect(target.edges.size).toBe(2);
    // the same relative layout: each node's offset from the top-left matches the source's
    const offsets = (board: BoardDoc) => {
      const nodes = board.nodes.list();
      const minX = Math.min(...nodes.map((n) => n.x));
      const minY = Math.min(...nodes.map((n) => n.y));
      return nodes.map((n) => `${n.text}@${n.x - minX},${n.y - minY}`).sort();
    };
    expect(offsets(target)).toEqual(offsets(source));
  });

  it('leaves reference cards out and refuses a board with nothing to keep', () => {
    const board = new BoardDoc(new Y.Doc());
    const index = new WorkspaceIndex(new Y.Doc());
    board.nodes.create({
      type: 'reference',
      x: 0,
      y: 0,
      width: 240,
      height: 120,
      ref: { kind: 'problem', id: 'AAAAAAAAAAAAAAAA' },
      createdAt: new Date().toISOString(),
    });
    expect(() => saveBoardAsTemplate(index, board, { title: 'Пусто' })).toThrow(EmptyTemplateError);
    expect(index.templates.size).toBe(0);
  });

  it('rejects a stored template whose connector points past its nodes', () => {
    const index = new WorkspaceIndex(new Y.Doc());
    expect(() =>
      index.templates.create({
        title: 'Битый',
        nodes: [{ type: 'frame', x: 0, y: 0, width: 100, height: 100, text: 'Рамка', color: 'gray' }],
        edges: [{ from: 0, to: 3 }],
        createdAt: new Date().toISOString(),
      }),
    ).toThrow(/edge points past/);
  });
});
