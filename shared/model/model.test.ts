import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardDocName, INDEX_DOC, isDocName, parseRoomName, roomName } from '../docs';
import { isId, newId } from '../ids';
import {
  appealSchema,
  BoardDoc,
  DatasetDoc,
  datasetPartIds,
  migrateIndexV1toV2,
  ProblemRegistry,
  splitIntoParts,
  createWorkspaceContent,
  DocSchemaError,
  initDocMeta,
  migrateDoc,
  MIGRATION_ORIGIN,
  readWorkspaceName,
  RecordValidationError,
  schemaVersionOf,
  WorkspaceIndex,
} from './index';

const now = () => new Date().toISOString();
const author = { name: 'Анна', color: '#2f9e44' };

function syncedPair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (update: Uint8Array) => Y.applyUpdate(b, update, 'remote'));
  b.on('update', (update: Uint8Array) => Y.applyUpdate(a, update, 'remote'));
  return [a, b];
}

describe('ids and doc names', () => {
  it('generates distinct url-safe ids', () => {
    const ids = new Set(Array.from({ length: 10_000 }, newId));
    expect(ids.size).toBe(10_000);
    for (const id of ids) expect(isId(id)).toBe(true);
  });

  it('round-trips room names and rejects foreign ones', () => {
    const ws = newId();
    const board = newId();
    expect(parseRoomName(roomName(ws, boardDocName(board)))).toEqual({ workspaceId: ws, docName: `board-${board}` });
    expect(parseRoomName(roomName(ws, INDEX_DOC))).toEqual({ workspaceId: ws, docName: 'index' });
    expect(parseRoomName('../etc/passwd')).toBeNull();
    expect(parseRoomName(`${ws}/board-x`)).toBeNull();
    expect(isDocName('dataset-' + newId())).toBe(true);
    expect(isDocName('secrets')).toBe(false);
  });
});

describe('workspace content', () => {
  it('creates an index with the name and one board whose doc is stamped with its schema', () => {
    const content = createWorkspaceContent({ name: '  Стратсессия Ленинского района ', firstBoardTitle: 'Доска 1' });
    expect(readWorkspaceName(content.docs[0]!.update)).toBe('Стратсессия Ленинского района');

    const index = new Y.Doc();
    Y.applyUpdate(index, content.docs[0]!.update);
    const boards = new WorkspaceIndex(index).boardList();
    expect(boards.map((b) => b.title)).toEqual(['Доска 1']);
    expect(content.docs[1]!.docName).toBe(boardDocName(boards[0]!.id));

    const board = new Y.Doc();
    Y.applyUpdate(board, content.docs[1]!.update);
    expect(schemaVersionOf(board)).toBe(1);
    expect(schemaVersionOf(index)).toBe(2);
    expect(new ProblemRegistry(new WorkspaceIndex(index)).categoryList().map((c) => c.label)).toEqual([
      'Дороги',
      'ЖКХ',
      'Благоустройство',
      'Транспорт',
      'Здравоохранение',
      'Образование',
      'Социальная защита',
      'Экология',
      'Безопасность',
      'Прочее',
    ]);
  });
});

describe('record accessors', () => {
  it('creates, reads, updates and deletes a problem with validation', () => {
    const index = new WorkspaceIndex(new Y.Doc());
    const problem = index.problems.create({
      title: 'Ямы на дорогах в пос. Северный',
      category: 'roads',
      kind: 'systemic',
      status: 'new',
      sources: [{ source: 'appeal', count: 42 }],
      signalCount: 42,
      createdAt: now(),
    });
    expect(index.problems.get(problem.id)?.sources[0]?.count).toBe(42);
    expect(index.problems.get(problem.id)?.description).toBe('');

    index.problems.update(problem.id, { status: 'confirmed' });
    expect(index.problems.get(problem.id)?.status).toBe('confirmed');

    expect(() => index.problems.update(problem.id, { title: '' })).toThrow(RecordValidationError);
    expect(() =>
      index.problems.create({ title: 'x', category: 'не категория', kind: 'systemic', status: 'new', createdAt: now() }),
    ).toThrow(/category/);
    expect(index.problems.get(problem.id)?.title).toBe('Ямы на дорогах в пос. Северный');

    expect(index.problems.delete(problem.id)).toBe(true);
    expect(index.problems.list()).toEqual([]);
  });

  it('skips a malformed record written by a peer instead of showing it', () => {
    const doc = new Y.Doc();
    const index = new WorkspaceIndex(doc);
    const raw = new Y.Map<unknown>();
    raw.set('title', 42);
    doc.getMap('problems').set(newId(), raw);
    expect(index.problems.list()).toEqual([]);
    expect(index.problems.size).toBe(1);
  });

  it('merges concurrent edits of different fields of one record', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const left = new WorkspaceIndex(a);
    const right = new WorkspaceIndex(b);
    const project = left.projects.create({ title: 'Парк у реки', status: 'draft', createdAt: now() });
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    // both edit while apart, then exchange
    right.projects.update(project.id, { goal: 'Благоустроить набережную' });
    left.projects.update(project.id, { status: 'approved' });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    expect(right.projects.get(project.id)).toMatchObject({ goal: 'Благоустроить набережную', status: 'approved' });
    expect(left.projects.get(project.id)).toEqual(right.projects.get(project.id));
  });

  it('links a problem to a project once and cascades deletes', () => {
    const index = new WorkspaceIndex(new Y.Doc());
    const problem = index.problems.create({ title: 'Нет освещения', category: 'improvement', kind: 'systemic', status: 'new', createdAt: now() });
    const project = index.projects.create({ title: 'Светлый посёлок', status: 'in-progress', createdAt: now() });
    const link = index.linkProblemToProject(problem.id, project.id);
    expect(index.linkProblemToProject(problem.id, project.id).id).toBe(link.id);
    expect(index.projectsOfProblem(problem.id)).toEqual([project.id]);
    index.tasks.create({ projectId: project.id, title: 'Смета', status: 'todo', dueDate: '2026-12-01' });
    index.controlPoints.create({ projectId: project.id, title: 'Проект утверждён', dueDate: '2026-12-15', status: 'planned' });

    index.deleteProject(project.id);
    expect(index.problemProjectLinks.list()).toEqual([]);
    expect(index.tasks.list()).toEqual([]);
    expect(index.controlPoints.list()).toEqual([]);
    expect(index.problems.has(problem.id)).toBe(true);
    expect(() => index.linkProblemToProject(problem.id, project.id)).toThrow();
  });

  it('rejects a control point without a valid due date', () => {
    const index = new WorkspaceIndex(new Y.Doc());
    expect(() =>
      index.controlPoints.create({ projectId: newId(), title: 'КТ', dueDate: '15.12.2026', status: 'planned' }),
    ).toThrow(RecordValidationError);
  });

  it('keeps territories, people and datasets typed', () => {
    const index = new WorkspaceIndex(new Y.Doc());
    const district = index.territories.create({ name: 'Ленинский район', kind: 'district' });
    const village = index.territories.create({ name: 'с. Покровка', kind: 'village', parentId: district.id });
    expect(index.territories.get(village.id)?.parentId).toBe(district.id);
    const person = index.people.create({ name: 'Иванов И. И.', position: 'Глава поселения' });
    expect(index.people.get(person.id)?.position).toBe('Глава поселения');
    const dataset = index.datasets.create({ title: 'Обращения 2025', kind: 'appeals', importedAt: now(), rowCount: 1200 });
    expect(index.datasets.get(dataset.id)?.rowCount).toBe(1200);
  });

  it('reports which records changed to observers', () => {
    const index = new WorkspaceIndex(new Y.Doc());
    const seen: string[][] = [];
    const stop = index.boards.observe((ids) => seen.push([...ids]));
    const board = index.addBoard('Проблемы');
    index.boards.update(board.id, { title: 'Проблемы района' });
    stop();
    index.addBoard('Идеи');
    expect(seen).toEqual([[board.id], [board.id]]);
  });
});

describe('board doc', () => {
  it('adds, moves, recolours and deletes stickies with their edges', () => {
    const board = new BoardDoc(new Y.Doc());
    const a = board.addSticky({ x: 10.4, y: 20.6 }, author, 'yellow', 'Мало парковок');
    const b = board.addSticky({ x: 300, y: 20 }, author, 'pink');
    board.edges.create({ source: a.id, target: b.id });
    board.moveNode(a.id, { x: 50, y: 60 });
    board.nodes.update(b.id, { color: 'blue', width: 240, height: 200 });
    expect(board.nodes.get(a.id)).toMatchObject({ x: 50, y: 60, text: 'Мало парковок', authorName: 'Анна' });
    expect(board.nodes.get(b.id)).toMatchObject({ color: 'blue', width: 240 });

    board.deleteNodes([a.id]);
    expect(board.nodes.ids()).toEqual([b.id]);
    expect(board.edges.list()).toEqual([]);
  });

  it('lets undo revert only the local user\'s changes', () => {
    const [a, b] = syncedPair();
    const local = Symbol('local');
    const mine = new BoardDoc(a, local);
    const theirs = new BoardDoc(b, 'peer');
    const undo = new Y.UndoManager([a.getMap('nodes'), a.getMap('edges')], { trackedOrigins: new Set([local]) });
    const my = mine.addSticky({ x: 0, y: 0 }, author);
    const their = theirs.addSticky({ x: 100, y: 0 }, { name: 'Борис', color: '#1971c2' });
    undo.undo();
    expect(mine.nodes.has(my.id)).toBe(false);
    expect(mine.nodes.has(their.id)).toBe(true);
    undo.redo();
    expect(theirs.nodes.has(my.id)).toBe(true);
  });
});

describe('schema versions and migrations', () => {
  it('leaves an empty (not yet synced) doc alone', () => {
    const doc = new Y.Doc();
    expect(migrateDoc(doc, 'board')).toBeUndefined();
    expect(schemaVersionOf(doc)).toBeUndefined();
  });

  it('runs each step from the stored version up to the current one, once', () => {
    const doc = new Y.Doc();
    initDocMeta(doc, 'board');
    doc.getMap('meta').set('schemaVersion', 1);
    const calls: number[] = [];
    const steps = [
      { from: 1, migrate: (d: Y.Doc) => { calls.push(1); d.getMap('session').set('timer', null); } },
      { from: 2, migrate: () => { calls.push(2); } },
    ];
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    expect(migrateDoc(doc, 'board', steps, 3)).toBe(1);
    expect(calls).toEqual([1, 2]);
    expect(schemaVersionOf(doc)).toBe(3);
    expect(doc.getMap('session').has('timer')).toBe(true);
    expect(origins).toEqual([MIGRATION_ORIGIN]);
    expect(migrateDoc(doc, 'board', steps, 3)).toBe(3);
    expect(calls).toEqual([1, 2]);
  });

  it('refuses a doc from a newer schema and a doc of another kind without touching them', () => {
    const doc = new Y.Doc();
    initDocMeta(doc, 'index');
    doc.getMap('meta').set('schemaVersion', 99);
    const before = Y.encodeStateVector(doc);
    expect(() => migrateDoc(doc, 'index')).toThrow(DocSchemaError);
    expect(Y.encodeStateVector(doc)).toEqual(before);
    doc.getMap('meta').set('schemaVersion', 1);
    expect(() => migrateDoc(doc, 'board')).toThrow(/wrong-kind/);
  });

  it('fails loudly when a migration step is missing', () => {
    const doc = new Y.Doc();
    initDocMeta(doc, 'dataset');
    expect(() => migrateDoc(doc, 'dataset', [], 3)).toThrow(/No migration/);
  });
});

describe('dataset doc', () => {
  const appeal = (n: number) => ({
    id: newId(),
    row: n + 100,
    receivedAt: '2025-03-14',
    territoryName: 'Ленинский район',
    categoryName: 'Дороги',
    text: `Яма у школы №${String(n).padStart(2, "0")}`,
    channel: 'appeal' as const,
  });

  it('appends appeals in chunked transactions and reads them back typed, in order', async () => {
    const doc = new Y.Doc();
    const dataset = new DatasetDoc(doc);
    let updates = 0;
    doc.on('update', () => updates++);
    const progress: number[] = [];
    const rows = Array.from({ length: 25 }, (_, n) => appealSchema.parse(appeal(n)));
    await dataset.appendAppeals(rows, { chunkRows: 10, onProgress: (written) => progress.push(written) });
    expect(updates).toBe(3);
    expect(progress).toEqual([10, 20, 25]);
    expect(dataset.appealList().map((a) => a.text)).toEqual(rows.map((r) => r.text));
    expect(dataset.appealList()[0]).toMatchObject({ address: '', sourceName: '', status: '' });
  });

  it('writes nothing from a chunk with an invalid row', async () => {
    const dataset = new DatasetDoc(new Y.Doc());
    const bad = { ...appealSchema.parse(appeal(1)), receivedAt: '14.03.2025' };
    await expect(dataset.appendAppeals([appealSchema.parse(appeal(0)), bad])).rejects.toThrow();
    expect(dataset.rowCount).toBe(0);
  });

  it('keeps territory fixes beside the immutable rows', async () => {
    const dataset = new DatasetDoc(new Y.Doc());
    const row = appealSchema.parse(appeal(0));
    await dataset.appendAppeals([row]);
    const territoryId = newId();
    dataset.setTerritory([row.id], territoryId);
    expect(dataset.appealList()[0]?.territoryId).toBe(territoryId);
  });

  it('splits a big import into parts that each fit one sync message', () => {
    const rows = Array.from({ length: 25 }, (_, n) => appeal(n));
    expect(splitIntoParts(rows, 10).map((part) => part.length)).toEqual([10, 10, 5]);
    const size = JSON.stringify(rows[0]).length * 2;
    expect(splitIntoParts(rows, 100, size * 4 + 1).map((part) => part.length)).toEqual([4, 4, 4, 4, 4, 4, 1]);
    expect(datasetPartIds({ id: 'A'.repeat(16), partIds: [] })).toEqual(['A'.repeat(16)]);
  });
});

describe('schema 1 → 2', () => {
  it('moves v1 problems to sources, signal counts, the new statuses and keeps retired categories', () => {
    const doc = new Y.Doc();
    initDocMeta(doc, 'index');
    doc.getMap('meta').set('schemaVersion', 1);
    const id = newId();
    const legacy = new Y.Map<unknown>();
    doc.getMap('problems').set(id, legacy);
    for (const [key, value] of Object.entries({
      title: 'Нет дома культуры',
      category: 'culture',
      kind: 'systemic',
      status: 'covered',
      signals: [{ source: 'appeal', count: 3 }, { source: 'meeting', count: 2 }],
      createdAt: now(),
    })) legacy.set(key, value);

    expect(migrateDoc(doc, 'index')).toBe(1);
    const index = new WorkspaceIndex(doc);
    expect(index.problems.get(id)).toMatchObject({ status: 'in-project', signalCount: 5, category: 'culture' });
    expect(index.problems.get(id)?.sources).toHaveLength(2);
    expect(index.categories.get('culture')?.label).toBe('Культура');
    expect(index.categories.size).toBe(11);
    // idempotent: running the step again (as a concurrent peer would) changes nothing
    const before = JSON.stringify(doc.toJSON());
    migrateIndexV1toV2(doc);
    expect(JSON.stringify(doc.toJSON())).toBe(before);
  });

  it('moves v1 dataset appeals into rows, and a concurrent second run adds no duplicates', () => {
    const makeV1 = () => {
      const doc = new Y.Doc();
      initDocMeta(doc, 'dataset');
      doc.getMap('meta').set('schemaVersion', 1);
      return doc;
    };
    const a = makeV1();
    const entry = new Y.Map<unknown>();
    a.getMap('appeals').set(newId(), entry);
    for (const [key, value] of Object.entries({ receivedAt: '2025-03-14', territoryName: 'Ленинский район', category: 'Дороги', text: 'Яма', channel: 'appeal' })) {
      entry.set(key, value);
    }
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    migrateDoc(a, 'dataset');
    migrateDoc(b, 'dataset');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    const appeals = new DatasetDoc(a).appealList();
    expect(appeals).toHaveLength(1);
    expect(appeals[0]).toMatchObject({ text: 'Яма', categoryName: 'Дороги', territoryName: 'Ленинский район', row: 1 });
  });
});
