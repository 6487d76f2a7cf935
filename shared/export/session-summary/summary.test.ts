import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newId } from '../../ids';
import { BoardDoc, WorkspaceIndex } from '../../model';
import { createRecordFromBoard, draftFromSelection } from '../../from-board/make-record';
import { applyTemplate } from '../../templates/apply';
import { builtinTemplate } from '../../templates/builtin';
import { buildSessionSummary, renderSummaryDocx, renderSummaryPdf, type SessionSummaryInput } from './index';

const require = createRequire(import.meta.url);
const fontDir = join(require.resolve('dejavu-fonts-ttf/package.json'), '..', 'ttf');
const fonts = { regular: readFileSync(join(fontDir, 'DejaVuSans.ttf')), bold: readFileSync(join(fontDir, 'DejaVuSans-Bold.ttf')) };

const MIN = 60_000;
const start = Date.parse('2026-11-20T07:00:00Z');

/** A finished session: the idea → criteria → decision template, three participants' stickies, a closed vote, a project. */
function finishedSession() {
  const board = new BoardDoc(new Y.Doc());
  applyTemplate(board, builtinTemplate('idea-decision'));
  const frame = (title: string) => board.nodes.list().find((n) => n.type === 'frame' && n.text === title)!;
  const ideas = frame('Идеи');
  const criteria = frame('Критерии');
  const spot = (row: number, col: number) => ({ x: ideas.x + 24 + col * 196, y: ideas.y + 364 + row * 156 });
  const anna = { name: 'Анна Петрова', color: '#2f9e44' };
  const oleg = { name: 'Олег Смирнов', color: '#1971c2' };
  const park = board.addSticky(spot(0, 0), anna, 'yellow', 'Парк у реки с освещением и лавочками');
  const bus = board.addSticky(spot(0, 1), oleg, 'yellow', 'Вечерний автобус до райцентра');
  const lonely = board.addSticky({ x: -400, y: 200 }, oleg, 'pink', 'Ремонт моста через Ухтомку');
  const hidden = board.addSticky(spot(1, 0), oleg, 'yellow', 'Тайная идея до раскрытия');
  board.nodes.update(hidden.id, { privateUntilReveal: true });
  const cost = board.nodes.list().find((n) => n.text === 'Стоимость')!;
  void criteria;

  const indexDoc = new Y.Doc();
  const index = new WorkspaceIndex(indexDoc);
  const boardRecord = index.addBoard('Стратсессия Заречного района');
  const rounds = [
    {
      round: { title: '', status: 'closed' as const, openedAt: start + 60 * MIN, closedAt: start + 70 * MIN },
      results: [
        { nodeId: park.id, votes: 5 },
        { nodeId: bus.id, votes: 3 },
        { nodeId: lonely.id, votes: 3 },
        { nodeId: cost.id, votes: 1 },
      ],
    },
    // still open when the summary is made: its partial count is no result
    { round: { title: 'Второй тур', status: 'open' as const, openedAt: start + 80 * MIN }, results: [{ nodeId: bus.id, votes: 9 }] },
  ];
  const draft = draftFromSelection(board.nodes.list(), [park.id], new Map([[park.id, 5]]))!;
  createRecordFromBoard(index, board, boardRecord.id, 'project', { ...draft, title: 'Парк у реки' });
  const otherBoard = newId();
  index.problems.create({
    title: 'С другой доски',
    category: 'other',
    kind: 'unclassified',
    status: 'new',
    provenance: { boardId: otherBoard },
    createdAt: new Date().toISOString(),
  });

  const input: SessionSummaryInput = {
    boardId: boardRecord.id,
    boardTitle: boardRecord.title,
    workspaceName: 'Заречный район',
    nodes: board.nodes.list(),
    edges: board.edges.list(),
    problems: index.problems.list(),
    projects: index.projects.list(),
    agenda: [
      { title: 'Идеи', durationMs: 20 * MIN, order: 1, startedAt: start, endedAt: start + 24 * MIN },
      { title: 'Критерии', durationMs: 10 * MIN, order: 2, startedAt: start + 24 * MIN, endedAt: start + 60 * MIN },
      { title: 'Голосование', durationMs: 10 * MIN, order: 3, startedAt: start + 60 * MIN, endedAt: start + 70 * MIN },
      { title: 'Решение', durationMs: 15 * MIN, order: 4 },
    ],
    rounds,
    presentNames: ['Мария Иванова', 'Анна Петрова'],
    generatedAt: new Date(start + 3 * 60 * MIN),
  };
  return { input, park, bus, lonely };
}

describe('session summary model', () => {
  it('has the title, day, participants, agenda with actual times, clusters, ranking and decisions of this board', () => {
    const { input, park } = finishedSession();
    const summary = buildSessionSummary(input);
    expect(summary.title).toBe('Стратсессия Заречного района');
    expect(summary.date.toISOString()).toBe('2026-11-20T07:00:00.000Z');
    expect(summary.participants).toEqual(['Анна Петрова', 'Мария Иванова', 'Олег Смирнов']);
    expect(summary.agenda.map((s) => [s.title, s.plannedMinutes, s.actualMinutes])).toEqual([
      ['Идеи', 20, 24],
      ['Критерии', 10, 36],
      ['Голосование', 10, 10],
      ['Решение', 15, null],
    ]);
    expect(summary.clusters.map((c) => [c.title, c.votes])).toEqual([
      ['Идеи', 8],
      ['Критерии', 1],
      ['Решение', 0],
      [null, 3],
    ]);
    expect(summary.clusters[0]!.stickies.find((s) => s.id === park.id)).toEqual({
      id: park.id,
      text: 'Парк у реки с освещением и лавочками',
      author: 'Анна Петрова',
      votes: 5,
    });
    expect(summary.rankings[0]!.entries).toEqual([
      { place: 1, text: 'Парк у реки с освещением и лавочками', cluster: 'Идеи', votes: 5 },
      // a tie shares the place; the sticky higher on the board comes first
      { place: 2, text: 'Ремонт моста через Ухтомку', cluster: null, votes: 3 },
      { place: 2, text: 'Вечерний автобус до райцентра', cluster: 'Идеи', votes: 3 },
      { place: 4, text: 'Стоимость', cluster: 'Критерии', votes: 1 },
    ]);
    expect(summary.decisions).toEqual([
      {
        kind: 'project',
        title: 'Парк у реки',
        description: '— Парк у реки с освещением и лавочками',
        votes: 5,
        authors: ['Анна Петрова'],
      },
    ]);
    // the picture holds every node, with the reference card and vote badges
    expect(summary.picture.items).toHaveLength(input.nodes.length - 1);
    // a sticky still private when the summary is made appears nowhere
    expect(JSON.stringify(summary)).not.toContain('Тайная идея');
    expect(summary.picture.items.filter((i) => i.kind === 'reference')).toHaveLength(1);
    expect(summary.picture.items.find((i) => i.text === park.text)!.votes).toBe(5);
    expect(Math.min(...summary.picture.items.map((i) => i.x))).toBe(0);
    expect(summary.picture.arrows.map((arrow) => arrow.label)).toEqual(['оцениваем', 'выбираем']);
  });

  it('reads an empty board without an agenda or voting as a summary that says so', () => {
    const summary = buildSessionSummary({
      boardId: newId(),
      boardTitle: 'Пустая доска',
      workspaceName: 'Пространство',
      nodes: [],
      edges: [],
      problems: [],
      projects: [],
      generatedAt: new Date(start),
    });
    expect(summary).toMatchObject({ participants: [], agenda: [], clusters: [], rankings: [], decisions: [] });
    expect(summary.picture).toEqual({ width: 0, height: 0, items: [], arrows: [] });
  });
});

const outDir = mkdtempSync(join(tmpdir(), 'stratboard-summary-'));

function unzipText(file: string, entry: string): string {
  return execFileSync('unzip', ['-p', file, entry], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Word splits text into runs; joined runs are what a reader sees. */
function visibleDocxText(documentXml: string): string {
  return [...documentXml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

describe('session summary files', () => {
  it('DOCX holds the Russian cluster titles, stickies and vote counts, the board as SVG with a PNG fallback, and the font embedded', async () => {
    const { input } = finishedSession();
    const bytes = await renderSummaryDocx(buildSessionSummary(input), fonts, 'ru');
    const file = join(outDir, 'summary.docx');
    writeFileSync(file, bytes);
    const xml = unzipText(file, 'word/document.xml');
    const text = visibleDocxText(xml);
    for (const expected of [
      'Итоги стратегической сессии',
      'Стратсессия Заречного района',
      '20 ноября 2026 г.',
      'Анна Петрова, Мария Иванова, Олег Смирнов',
      'Идеи — 8 голосов',
      'Критерии — 1 голос',
      'Вне кластеров — 3 голоса',
      'Парк у реки с освещением и лавочками (автор: Анна Петрова) — 5 голосов',
      'Проект: Парк у реки — 5 голосов',
      '24 мин',
      'не проводился',
    ]) {
      expect(text).toContain(expected);
    }
    // ranking table: place, sticky, cluster, votes in one row
    expect(text).toContain('1Парк у реки с освещением и лавочкамиИдеи5');
    expect(text).toContain('2Ремонт моста через УхтомкуВне кластеров3');
    expect(xml).toContain('w:orient="landscape"');
    const footer = unzipText(file, 'word/footer1.xml');
    expect(visibleDocxText(footer)).toContain('Стр. ');
    expect(footer).toMatch(/NUMPAGES/);
    const listing = execFileSync('unzip', ['-l', file], { encoding: 'utf8' });
    expect(listing).toMatch(/word\/media\/\S+\.svg/);
    expect(listing).toMatch(/word\/media\/\S+\.png/);
    expect(listing).toMatch(/word\/fonts\/\S+\.odttf/);
    const svgName = /word\/media\/\S+\.svg/.exec(listing)![0];
    const svg = unzipText(file, svgName);
    expect(svg).toContain('>Идеи</text>');
    expect(svg).toContain('Парк у реки с');
    expect(svg).toContain('>Проект: Парк у реки</text>');
    // the template's connectors keep their labels on the picture
    expect(svg).toContain('>оцениваем</text>');
    expect(svg).toContain('>выбираем</text>');
  });

  it('PDF holds the same text (pdftotext), page numbers, and renders on A4 (pdftoppm)', async () => {
    const { input } = finishedSession();
    const bytes = await renderSummaryPdf(buildSessionSummary(input), fonts, 'ru');
    const file = join(outDir, 'summary.pdf');
    writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[ \t]+/g, ' ');
    for (const expected of [
      'Итоги стратегической сессии',
      'Стратсессия Заречного района',
      '20 ноября 2026 г.',
      'Идеи — 8 голосов',
      'Критерии — 1 голос',
      'Вне кластеров — 3 голоса',
      '(автор: Анна Петрова) — 5 голосов',
      'Проект: Парк у реки — 5 голосов',
      'Стр. 1 из',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toMatch(/1 Парк у реки с освещением и лавочками Идеи 5/);
    expect(text).toMatch(/2 Вечерний автобус до райцентра Идеи 3/);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    const fontsList = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fontsList).toMatch(/DejaVuSans-\d+\s+CID TrueType\s+Identity-H\s+yes/);
    // subset: the whole DejaVu Sans alone is 740 KiB
    expect(bytes.byteLength).toBeLessThan(150 * 1024);
    execFileSync('pdftoppm', ['-png', '-r', '60', file, join(outDir, 'page')]);
    // the board page: its text is there too, drawn on the picture
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    const boardPage = execFileSync('pdftotext', ['-f', String(pages), '-l', String(pages), file, '-'], { encoding: 'utf8' });
    expect(boardPage).toContain('Критерии');
    expect(boardPage).toContain('Парк у реки');
    expect(boardPage).toContain('Проект: Парк у реки');
    // the template's connectors keep their labels on the picture
    expect(boardPage).toContain('оцениваем');
    expect(boardPage).toContain('выбираем');
    console.log(`summary files for a look: ${outDir}`);
  });
});
