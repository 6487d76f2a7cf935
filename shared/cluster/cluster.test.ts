import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newId } from '../ids';
import { guessMapping, importAppeals, readAppealTable } from '../import';
import { defaultProblemCategories, defaultRegistrySettings } from '../model';
import { territoryListOf } from '../../test/fixtures/registry/appeal-generator';
import {
  candidateQuality,
  clusterAppeals,
  describeFromTexts,
  mergeCandidates,
  renameCandidate,
  splitCandidate,
  stemRussian,
  type ClusterAppeal,
} from './index';

describe('Snowball Russian stemmer', () => {
  it('stems known word forms as the reference algorithm does', () => {
    const expected: Record<string, string> = {
      вавилонский: 'вавилонск',
      важнейшие: 'важн',
      великолепная: 'великолепн',
      дорогами: 'дорог',
      дорожный: 'дорожн',
      освещения: 'освещен',
      стоимость: 'стоимост',
      нормальности: 'нормальн',
      вывозили: 'вывоз',
      одевшись: 'одевш',
      каменный: 'камен',
      вечерний: 'вечерн',
      ёлка: 'елк',
    };
    for (const [word, stem] of Object.entries(expected)) expect(stemRussian(word), word).toBe(stem);
  });

  it('brings the forms of one word to one stem', () => {
    const families = [
      ['дорога', 'дороги', 'дорогу', 'дорогой', 'дорогами', 'дорогах'],
      ['контейнер', 'контейнеры', 'контейнеров', 'контейнерами'],
      ['вывозят', 'вывозить', 'вывозили'],
      ['освещение', 'освещения', 'освещением'],
    ];
    for (const family of families) expect(new Set(family.map(stemRussian)).size, family.join(' ')).toBe(1);
  });
});

const fixtures = join(__dirname, '../../test/fixtures/registry');

/** The labelled fixture imported the way a user imports it, with a territory list built from its districts and villages. */
async function labelledFixture() {
  const table = await readAppealTable(new Uint8Array(readFileSync(join(fixtures, 'labelled-appeals.csv'))));
  const territories = territoryListOf(
    table.rows.map((row) => ({ district: row[3]!, settlement: row[4]! })),
    newId,
  );
  const categories = defaultProblemCategories.map((c, order) => ({ ...c, order, archived: false }));
  const { appeals, report } = importAppeals(table, guessMapping(table.headers), { territories, categories });
  const datasetId = newId();
  const labelOf = new Map(appeals.map((a) => [a.id, table.rows[a.row - 2]![0]!]));
  return { appeals: appeals.map((a): ClusterAppeal => ({ ...a, datasetId })), labelOf, report };
}

describe('grouping appeals into candidate problems', () => {
  it('recovers the labelled problems of the fixture (purity ≥ 0.85), printing purity and ARI', async () => {
    const { appeals, labelOf, report } = await labelledFixture();
    expect(appeals.length).toBeGreaterThanOrEqual(500);
    expect(report.territory.resolved).toBe(appeals.length);
    const candidates = clusterAppeals(appeals, defaultRegistrySettings);
    const { purity: p, ari, labels } = candidateQuality(candidates, labelOf);
    console.log(
      `clustering fixture: ${appeals.length} appeals, ${labels} labels → ${candidates.length} candidates at threshold ${defaultRegistrySettings.similarityThreshold}: purity ${p.toFixed(3)}, ARI ${ari.toFixed(3)}`,
    );
    expect(p).toBeGreaterThanOrEqual(0.85);
    expect(ari).toBeGreaterThan(0.8);
    expect(candidates.reduce((sum, c) => sum + c.members.length, 0)).toBe(appeals.length);
  });

  it('gives the same candidates, in the same order, for the same appeals in any order', async () => {
    const { appeals } = await labelledFixture();
    const reversed = [...appeals].reverse();
    const interleaved = appeals.filter((_, i) => i % 2 === 0).concat(appeals.filter((_, i) => i % 2 === 1));
    const a = clusterAppeals(appeals, defaultRegistrySettings);
    expect(clusterAppeals(reversed, defaultRegistrySettings)).toEqual(a);
    expect(clusterAppeals(interleaved, defaultRegistrySettings)).toEqual(a);
  });

  it('never mixes territories and makes fewer, larger groups at a lower threshold', async () => {
    const { appeals } = await labelledFixture();
    const byId = new Map(appeals.map((a) => [a.id, a]));
    const loose = clusterAppeals(appeals, { threshold: 0.15, groupByCategory: true });
    const strict = clusterAppeals(appeals, { threshold: 0.5, groupByCategory: true });
    expect(loose.length).toBeLessThan(strict.length);
    for (const candidate of loose) {
      expect(new Set(candidate.members.map((m) => byId.get(m.appealId)!.territoryId)).size).toBe(1);
      expect(candidate.territoryId).toBe(byId.get(candidate.members[0]!.appealId)!.territoryId);
    }
  });

  it('titles a group by the sentence of its most central appeal that carries the problem', () => {
    const datasetId = newId();
    const territoryId = newId();
    const texts = [
      'Здравствуйте! Не вывозят мусор с контейнерной площадки на ул. Садовой. Запах на весь двор.',
      'Добрый день. Мусор не вывозят уже две недели, контейнеры переполнены, ул. Садовая.',
      'Контейнеры на Садовой переполнены, мусор не вывозится. Прошу принять меры.',
      'Не горят фонари на улице Лесной.',
    ];
    const appeals: ClusterAppeal[] = texts.map((text, n) => ({
      id: newId(),
      datasetId,
      text,
      receivedAt: `2025-03-0${n + 1}`,
      territoryId,
      territoryName: 'с. Берёзовка',
      category: 'housing',
      categoryName: 'ЖКХ',
      channel: 'appeal',
    }));
    const progress: string[] = [];
    const candidates = clusterAppeals(appeals, { threshold: 0.2, groupByCategory: true, onProgress: (_d, _t, phase) => progress.push(phase) });
    expect(candidates.map((c) => c.members.length)).toEqual([3, 1]);
    expect(candidates[0]!.title).not.toMatch(/Здравствуйте|Добрый день/);
    expect(candidates[0]!.title.toLowerCase()).toContain('мусор');
    expect(candidates[0]!.terms.slice(0, 3)).toEqual(expect.arrayContaining(['мусор']));
    expect(candidates[0]!.signalDays).toEqual([
      ['2025-03-01', 1],
      ['2025-03-02', 1],
      ['2025-03-03', 1],
    ]);
    expect(new Set(progress)).toEqual(new Set(['prepare', 'group', 'describe']));
  });
});

describe('operations on candidates', () => {
  it('merges, splits and renames without touching the inputs, with ids that follow the members', async () => {
    const { appeals } = await labelledFixture();
    const texts = new Map(appeals.map((a) => [a.id, a.text]));
    const candidates = clusterAppeals(appeals, defaultRegistrySettings);
    const [a, b] = candidates;
    const before = JSON.stringify([a, b]);

    const merged = mergeCandidates([a!, b!], 'Общая проблема');
    expect(merged.members).toHaveLength(a!.members.length + b!.members.length);
    expect(merged.title).toBe('Общая проблема');
    expect(merged.id).not.toBe(a!.id);
    expect(merged.signalDays.reduce((sum, [, n]) => sum + n, 0)).toBe(merged.members.filter((m) => m.receivedAt).length);

    const [rest, split] = splitCandidate(merged, b!.members.map((m) => m.appealId), texts);
    expect(rest!.id).toBe(a!.id);
    expect(split!.id).toBe(b!.id);
    expect(split!.members).toEqual(b!.members);
    expect(split!.title).toBe(describeFromTexts(b!, texts).title);

    expect(renameCandidate(a!, '  Ямы на Садовой ').title).toBe('Ямы на Садовой');
    expect(renameCandidate(a!, '   ').title).toBe(a!.title);
    expect(JSON.stringify([a, b])).toBe(before);
  });
});
