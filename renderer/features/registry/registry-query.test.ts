import { describe, expect, it } from 'vitest';
import { newId } from '../../../shared/ids';
import type { Problem, Territory } from '../../../shared/model';
import { filterFromRoute, filterProblems, sortProblems, territoryLookup, type RegistryContext } from './registry-query';

const district: Territory = { id: newId(), name: 'Ленинский район', kind: 'district', aliases: [] };
const village: Territory = { id: newId(), name: 'с. Берёзовка', kind: 'village', parentId: district.id, aliases: [] };
const town: Territory = { id: newId(), name: 'г. Северск', kind: 'settlement', aliases: [] };

function problem(title: string, fields: Partial<Problem> = {}): Problem {
  return {
    id: newId(),
    title,
    description: '',
    category: 'roads',
    kind: 'situational',
    status: 'new',
    signalCount: 0,
    sources: [],
    signalDays: [],
    appeals: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    ...fields,
  };
}

const problems = [
  problem('Ямы на улице Ленина', { territoryId: village.id, signalCount: 40, kind: 'systemic' }),
  problem('Нет освещения во дворах', { territoryId: district.id, category: 'improvement', signalCount: 3 }),
  problem('Автобус ходит раз в час', { territoryId: town.id, category: 'transport', status: 'rejected', description: 'Маршрут №5, ещё и опаздывает' }),
];
const projectCounts = new Map([[problems[0]!.id, 2]]);
const context: RegistryContext = { ...territoryLookup([district, village, town]), projectCount: (id) => projectCounts.get(id) ?? 0 };
const titles = (list: Problem[]) => list.map((p) => p.title);

describe('registry filters', () => {
  it('a district filter includes the problems of its settlements', () => {
    expect(titles(filterProblems(problems, { territoryId: district.id }, context))).toEqual(['Ямы на улице Ленина', 'Нет освещения во дворах']);
    expect(titles(filterProblems(problems, { territoryId: village.id }, context))).toEqual(['Ямы на улице Ленина']);
  });

  it('combines category, status and the systemic flag', () => {
    expect(titles(filterProblems(problems, { systemic: 'yes' }, context))).toEqual(['Ямы на улице Ленина']);
    expect(filterProblems(problems, { systemic: 'no' }, context)).toHaveLength(2);
    expect(titles(filterProblems(problems, { category: 'transport', status: 'rejected' }, context))).toEqual(['Автобус ходит раз в час']);
    expect(filterProblems(problems, { category: 'transport', status: 'new' }, context)).toEqual([]);
  });

  it('full-text search ignores case and «ё», needs every word and looks at description and territory', () => {
    expect(titles(filterProblems(problems, { text: 'ЯМЫ ленина' }, context))).toEqual(['Ямы на улице Ленина']);
    expect(titles(filterProblems(problems, { text: 'березовка' }, context))).toEqual(['Ямы на улице Ленина']);
    expect(titles(filterProblems(problems, { text: 'еще опаздывает' }, context))).toEqual(['Автобус ходит раз в час']);
    expect(filterProblems(problems, { text: 'ямы автобус' }, context)).toEqual([]);
  });
});

describe('registry sorting', () => {
  const label = (_column: string, p: Problem) => p.category;
  it('sorts by title in Russian order, and by signal and project counts as numbers', () => {
    expect(titles(sortProblems(problems, { column: 'title', direction: 'asc' }, context, label))).toEqual([
      'Автобус ходит раз в час',
      'Нет освещения во дворах',
      'Ямы на улице Ленина',
    ]);
    expect(titles(sortProblems(problems, { column: 'signals', direction: 'desc' }, context, label))[0]).toBe('Ямы на улице Ленина');
    expect(titles(sortProblems(problems, { column: 'projects', direction: 'asc' }, context, label)).at(-1)).toBe('Ямы на улице Ленина');
    expect(titles(sortProblems(problems, { column: 'territory', direction: 'asc' }, context, label))).toEqual([
      'Автобус ходит раз в час',
      'Нет освещения во дворах',
      'Ямы на улице Ленина',
    ]);
  });
});

describe('registry filter from the route', () => {
  it('maps route parameters to a filter', () => {
    expect(filterFromRoute({ territory: district.id, systemic: 'yes', q: 'ямы' })).toEqual({ territoryId: district.id, systemic: 'yes', text: 'ямы' });
    expect(filterFromRoute(undefined)).toEqual({});
  });
});
