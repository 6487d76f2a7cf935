import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CandidateProblem } from '../cluster/candidate';
import { newId } from '../ids';
import {
  computeCoverage,
  defaultSystemicRule,
  evaluateSystemicRule,
  ProblemRegistry,
  seedDefaultCategories,
  signalDaysOf,
  WorkspaceIndex,
  type SystemicRule,
} from './index';

const now = '2026-01-10T10:00:00.000Z';

function registry() {
  const index = new WorkspaceIndex(new Y.Doc());
  seedDefaultCategories(index);
  return new ProblemRegistry(index);
}

function candidate(dates: string[], overrides: Partial<CandidateProblem> = {}): CandidateProblem {
  const datasetId = newId();
  const members = dates.map((receivedAt) => ({ datasetId, appealId: newId(), receivedAt, channel: 'appeal' as const }));
  return {
    id: 'c1',
    title: 'Ямы на улице Ленина',
    terms: ['ямы', 'ленина'],
    territoryName: 'Северный',
    category: 'roads',
    centralAppealId: members[0]!.appealId,
    members,
    signalDays: signalDaysOf(dates),
    ...overrides,
  };
}

describe('systemic rule', () => {
  const rule: SystemicRule = {
    signalsInWeeks: { enabled: true, minSignals: 5, weeks: 2 },
    recurrence: { enabled: true, minMonths: 3, months: 6 },
  };

  it('calls a problem systemic when enough signals fall within the window of weeks, and says why', () => {
    const verdict = evaluateSystemicRule(signalDaysOf(['2025-03-01', '2025-03-03', '2025-03-05', '2025-03-10', '2025-03-14']), rule);
    expect(verdict).toEqual({
      kind: 'systemic',
      rule: 'signals-in-weeks',
      reason: { key: 'registry.systemicReason.signalsInWeeks', params: { count: 5, weeks: 2, min: 5, from: '2025-03-01', to: '2025-03-14' } },
    });
  });

  it('does not count signals just outside the window', () => {
    const verdict = evaluateSystemicRule(signalDaysOf(['2025-03-01', '2025-03-03', '2025-03-05', '2025-03-10', '2025-03-15']), rule);
    expect(verdict.kind).toBe('situational');
    expect(verdict.reason.params).toMatchObject({ count: 4, monthsWithSignals: 1 });
  });

  it('calls a problem systemic when it recurs in enough months, even with few signals', () => {
    const verdict = evaluateSystemicRule(signalDaysOf(['2025-01-20', '2025-03-02', '2025-06-30']), rule);
    expect(verdict).toMatchObject({ kind: 'systemic', rule: 'recurrence-months', reason: { params: { monthsWithSignals: 3 } } });
    expect(evaluateSystemicRule(signalDaysOf(['2025-01-20', '2025-03-02', '2025-07-01']), rule).kind).toBe('situational');
  });

  it('ignores a disabled test and leaves undated problems unclassified', () => {
    const off = { ...rule, recurrence: { ...rule.recurrence, enabled: false } };
    expect(evaluateSystemicRule(signalDaysOf(['2025-01-20', '2025-03-02', '2025-06-30']), off).kind).toBe('situational');
    expect(evaluateSystemicRule([], rule)).toMatchObject({ kind: 'unclassified', reason: { key: 'registry.systemicReason.noDates' } });
  });
});

describe('problem registry', () => {
  it('turns accepted candidates into problems with signals, dates, linked appeals and the rule’s verdict', () => {
    const reg = registry();
    const dates = Array.from({ length: 12 }, (_, n) => `2025-04-${String(n + 1).padStart(2, '0')}`);
    const [problem] = reg.acceptCandidates([candidate(dates)], { rule: defaultSystemicRule, now });
    expect(problem).toMatchObject({
      title: 'Ямы на улице Ленина',
      category: 'roads',
      status: 'new',
      kind: 'systemic',
      kindDecision: { by: 'rule', rule: 'signals-in-weeks' },
      signalCount: 12,
      sources: [{ source: 'appeal', count: 12 }],
      firstSignalAt: '2025-04-01',
      lastSignalAt: '2025-04-12',
    });
    expect(problem!.appeals[0]!.appealIds).toHaveLength(12);
    expect(reg.index.problems.list()).toHaveLength(1);
  });

  it('keeps a person’s kind decision when the rule is re-applied, and re-decides the rule’s own', () => {
    const reg = registry();
    const [byRule, byUser] = reg.acceptCandidates([candidate(['2025-04-01']), candidate(['2025-04-01'])], { now });
    reg.setKind(byUser!.id, 'systemic', now);
    const strict = { ...defaultSystemicRule, signalsInWeeks: { enabled: true, minSignals: 1, weeks: 1 } };
    expect(reg.reapplySystemicRule(strict, now)).toEqual([byRule!.id]);
    expect(reg.index.problems.get(byRule!.id)?.kind).toBe('systemic');
    expect(reg.index.problems.get(byUser!.id)?.kindDecision?.by).toBe('user');
  });

  it('falls back to “other” for a category the workspace does not have', () => {
    const reg = registry();
    const [problem] = reg.acceptCandidates([candidate(['2025-04-01'], { category: 'weather' })], { now });
    expect(problem!.category).toBe('other');
  });

  it('creates a project from two problems, links them and moves them to “in a project”', () => {
    const reg = registry();
    const territoryId = newId();
    const [a, b] = reg.acceptCandidates([candidate(['2025-04-01'], { territoryId }), candidate(['2025-04-02'], { territoryId })], { now });
    const project = reg.createProjectFromProblems({ title: 'Ремонт дорог', goal: 'Отремонтировать 5 км' }, [a!.id, b!.id], now);
    expect(project.territoryId).toBe(territoryId);
    expect(reg.index.problemsOfProject(project.id).sort()).toEqual([a!.id, b!.id].sort());
    expect(reg.index.problems.get(a!.id)?.status).toBe('in-project');
    reg.unlinkFromProject(a!.id, project.id);
    expect(reg.index.problems.get(a!.id)?.status).toBe('confirmed');
  });

  it('merges problems: signals add up, appeals and project links move to the first one', () => {
    const reg = registry();
    const [a, b] = reg.acceptCandidates([candidate(['2025-04-01', '2025-04-02']), candidate(['2025-05-01'])], { now });
    const project = reg.createProjectFromProblems({ title: 'Дороги' }, [b!.id], now);
    const merged = reg.mergeProblems([a!.id, b!.id], { title: 'Разбитые дороги', now });
    expect(merged).toMatchObject({ title: 'Разбитые дороги', signalCount: 3, firstSignalAt: '2025-04-01', lastSignalAt: '2025-05-01' });
    expect(merged.appeals.flatMap((link) => link.appealIds)).toHaveLength(3);
    expect(reg.index.problems.has(b!.id)).toBe(false);
    expect(reg.index.projectsOfProblem(a!.id)).toEqual([project.id]);
  });

  it('applies a bulk edit in one undoable step and stores settings with defaults', () => {
    const reg = registry();
    const problems = reg.acceptCandidates([candidate(['2025-04-01']), candidate(['2025-04-02']), candidate(['2025-04-03'])], { now });
    const undo = new Y.UndoManager(reg.index.doc.getMap('problems'));
    expect(reg.bulkUpdate(problems.map((p) => p.id), { status: 'confirmed' })).toBe(3);
    expect(reg.index.problems.list().every((p) => p.status === 'confirmed')).toBe(true);
    undo.undo();
    expect(reg.index.problems.list().every((p) => p.status === 'new')).toBe(true);

    expect(reg.settings().similarityThreshold).toBe(0.25);
    reg.updateSettings({ similarityThreshold: 0.5 });
    expect(reg.settings()).toMatchObject({ similarityThreshold: 0.5, groupByCategory: true, systemicRule: defaultSystemicRule });
    expect(() => reg.updateSettings({ similarityThreshold: 2 })).toThrow();
  });

  it('manages the category list: add, rename, archive', () => {
    const reg = registry();
    const culture = reg.addCategory('Культура');
    reg.renameCategory('housing', 'Жилищно-коммунальное хозяйство');
    reg.archiveCategory('safety');
    const labels = reg.categoryList().map((c) => c.label);
    expect(labels.at(-1)).toBe('Культура');
    expect(labels).toContain('Жилищно-коммунальное хозяйство');
    expect(labels).not.toContain('Безопасность');
    expect(reg.categoryList({ includeArchived: true })).toHaveLength(11);
    expect(culture.id).toMatch(/^[0-9A-Za-z]{16}$/);
  });
});

describe('coverage', () => {
  it('counts problems, systemic, covered and uncovered by territory and category, rolling settlements up', () => {
    const reg = registry();
    const district = reg.index.territories.create({ name: 'Северный район', kind: 'district' });
    const village = reg.index.territories.create({ name: 'с. Берёзовка', kind: 'village', parentId: district.id });
    const many = Array.from({ length: 12 }, (_, n) => `2025-04-${String(n + 1).padStart(2, '0')}`);
    const [roads, , , rejected] = reg.acceptCandidates(
      [
        candidate(many, { territoryId: village.id, category: 'roads' }),
        candidate(many, { territoryId: district.id, category: 'housing' }),
        candidate(['2025-04-01'], { territoryId: district.id, category: 'education' }),
        candidate(many, { territoryId: district.id, category: 'roads' }),
      ],
      { now },
    );
    reg.index.problems.update(rejected!.id, { status: 'rejected' });
    reg.createProjectFromProblems({ title: 'Дорога в Берёзовку' }, [roads!.id], now);

    const coverage = computeCoverage(reg.index.problems.list(), reg.index.problemProjectLinks.list(), reg.index.territories.list(), {
      rollUpToDistrict: true,
    });
    expect(coverage.total).toEqual({ problems: 3, systemic: 2, covered: 1, uncovered: 2, systemicUncovered: 1 });
    expect(coverage.byTerritory).toEqual([{ territoryId: district.id, problems: 3, systemic: 2, covered: 1, uncovered: 2, systemicUncovered: 1 }]);
    expect(coverage.byCategory.map((row) => [row.category, row.problems, row.covered])).toEqual([
      ['education', 1, 0],
      ['housing', 1, 0],
      ['roads', 1, 1],
    ]);
    const unrolled = computeCoverage(reg.index.problems.list(), reg.index.problemProjectLinks.list(), reg.index.territories.list());
    expect(unrolled.byTerritory.map((row) => row.territoryId).sort()).toEqual([district.id, village.id].sort());
  });
});
