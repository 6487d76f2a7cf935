import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newId } from '../ids';
import { BoardDoc, WorkspaceIndex, type BoardNode } from '../model';
import { applyTemplate } from '../templates/apply';
import { builtinTemplate } from '../templates/builtin';
import { clustersOf } from './clusters';
import { createRecordFromBoard, draftFromSelection } from './make-record';

const anna = { name: 'Анна', color: '#2f9e44' };
const oleg = { name: 'Олег', color: '#1971c2' };

function sessionBoard() {
  const board = new BoardDoc(new Y.Doc());
  applyTemplate(board, builtinTemplate('idea-decision'));
  const ideas = board.nodes.list().find((n) => n.type === 'frame' && n.text === 'Идеи')!;
  const inIdeas = (row: number, col: number) => ({ x: ideas.x + 24 + col * 196, y: ideas.y + 364 + row * 156 });
  const park = board.addSticky(inIdeas(0, 0), anna, 'yellow', 'Парк у реки\nс освещением');
  const bus = board.addSticky(inIdeas(0, 1), oleg, 'yellow', 'Вечерний автобус');
  const outside = board.addSticky({ x: -600, y: -600 }, oleg, 'pink', 'Отдельная мысль');
  return { board, ideas, park, bus, outside };
}

const overlaps = (a: BoardNode, b: BoardNode) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('clusters', () => {
  it('puts each sticky in the frame its centre lies in, and keeps the rest apart', () => {
    const { board, park, bus, outside } = sessionBoard();
    const { clusters, loose } = clustersOf(board.nodes.list());
    expect(clusters.map((c) => c.frame.text)).toEqual(['Идеи', 'Критерии', 'Решение']);
    expect(clusters[0]!.stickies.map((s) => s.text)).toEqual(['Пример: спортплощадка у школы', park.text, bus.text]);
    expect(clusters[1]!.stickies).toHaveLength(4);
    expect(loose.map((s) => s.id)).toEqual([outside.id]);
  });
});

describe('from board to registry', () => {
  it('drafts from a selected frame: its title, its stickies as the description, their authors and votes', () => {
    const { board, ideas, park, bus } = sessionBoard();
    const votes = new Map([
      [park.id, 3],
      [bus.id, 2],
      [newId(), 7],
    ]);
    const draft = draftFromSelection(board.nodes.list(), [ideas.id], votes)!;
    expect(draft.title).toBe('Идеи');
    expect(draft.description).toBe('— Пример: спортплощадка у школы\n— Парк у реки с освещением\n— Вечерний автобус');
    expect(draft.authors).toEqual(['Анна', 'Олег']);
    expect(draft.votes).toBe(5);
    expect(draft.nodeIds[0]).toBe(ideas.id);
    expect(draft.nodeIds).toContain(park.id);
  });

  it('drafts from selected stickies: the first one (in reading order) gives the title', () => {
    const { board, park, bus } = sessionBoard();
    const draft = draftFromSelection(board.nodes.list(), [bus.id, park.id])!;
    expect(draft.title).toBe('Парк у реки');
    expect(draft.nodeIds).toEqual([park.id, bus.id]);
    expect(draft.votes).toBe(0);
    expect(draftFromSelection(board.nodes.list(), [])).toBeNull();
  });

  it('makes a project with provenance and puts a linked reference card beside the source, covering nothing', () => {
    const { board, ideas, park } = sessionBoard();
    const indexDoc = new Y.Doc();
    const index = new WorkspaceIndex(indexDoc);
    const boardId = newId();
    const draft = draftFromSelection(board.nodes.list(), [ideas.id], new Map([[park.id, 4]]))!;
    const created = createRecordFromBoard(index, board, boardId, 'project', { ...draft, title: 'Парк у реки' });

    // read back through the doc's bytes, as the registry on another laptop would
    const peerDoc = new Y.Doc();
    Y.applyUpdate(peerDoc, Y.encodeStateAsUpdate(indexDoc));
    const project = new WorkspaceIndex(peerDoc).projects.get(created.record.id)!;
    expect(project.title).toBe('Парк у реки');
    expect(project.status).toBe('draft');
    expect(project.goal).toContain('Вечерний автобус');
    expect(project.provenance).toEqual({ boardId, nodeIds: draft.nodeIds, authors: ['Анна', 'Олег'], votes: 4 });

    const card = board.nodes.get(created.cardId)!;
    expect(card.type).toBe('reference');
    expect(card.ref).toEqual({ kind: 'project', id: project.id });
    const others = board.nodes.list().filter((n) => n.id !== card.id);
    expect(others.filter((n) => overlaps(n, card))).toEqual([]);
    // beside the source: its left edge within a card's width of the frame's right edge
    expect(card.x).toBeGreaterThanOrEqual(ideas.x + ideas.width);
    expect(card.x).toBeLessThan(ideas.x + ideas.width + 2 * card.width);
  });

  it('makes a problem from stickies, counted as session signals', () => {
    const { board, park, bus } = sessionBoard();
    const index = new WorkspaceIndex(new Y.Doc());
    const boardId = newId();
    const draft = draftFromSelection(board.nodes.list(), [park.id, bus.id])!;
    const created = createRecordFromBoard(index, board, boardId, 'problem', draft);
    const problem = index.problems.get(created.record.id)!;
    expect(problem).toMatchObject({ title: 'Парк у реки', status: 'new', kind: 'unclassified' });
    expect(problem.sources).toEqual([{ source: 'session', count: 2 }]);
    expect(problem.signalCount).toBe(2);
    expect(problem.provenance).toMatchObject({ boardId, nodeIds: [park.id, bus.id], authors: ['Анна', 'Олег'] });
    expect(board.nodes.get(created.cardId)!.ref).toEqual({ kind: 'problem', id: problem.id });
  });

  it('refuses an empty title without writing anything', () => {
    const { board, park } = sessionBoard();
    const index = new WorkspaceIndex(new Y.Doc());
    const before = board.nodes.size;
    const draft = draftFromSelection(board.nodes.list(), [park.id])!;
    expect(() => createRecordFromBoard(index, board, newId(), 'problem', { ...draft, title: '   ' })).toThrow();
    expect(index.problems.size).toBe(0);
    expect(board.nodes.size).toBe(before);
  });
});
