import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newId } from '../ids';
import { defaultProblemCategories, type ProblemCategory, type Territory } from '../model';
import {
  AppealImportError,
  detectDelimiter,
  guessMapping,
  importAppeals,
  normalizeTerritoryName,
  parseAppealDate,
  parseCsv,
  readAppealTable,
  remapColumn,
  TerritoryResolver,
  type AppealImportErrorCode,
} from './index';

const fixtures = join(__dirname, '../../test/fixtures/registry');
const read = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));

const categories: ProblemCategory[] = defaultProblemCategories.map((c, order) => ({ ...c, order, archived: false }));
const t = (name: string, kind: Territory['kind'], parentId?: string, aliases: string[] = []): Territory => ({ id: newId(), name, kind, parentId, aliases });
const region = t('Энская область', 'region');
const north = t('Северный район', 'district', region.id, ['Сев. район']);
const zarechny = t('Заречный городской округ', 'okrug', region.id);
const northVillage = t('пос. Северный', 'settlement', north.id);
const berezovkaNorth = t('с. Берёзовка', 'village', north.id);
const berezovkaZar = t('Березовка', 'village', zarechny.id);
const zarechnyTown = t('г. Заречный', 'settlement', zarechny.id);
const territories = [region, north, zarechny, northVillage, berezovkaNorth, berezovkaZar, zarechnyTown];

async function importFixture(name: string) {
  const table = await readAppealTable(read(name));
  const mapping = guessMapping(table.headers);
  return { table, mapping, ...importAppeals(table, mapping, { territories, categories }) };
}

describe('appeal import: the same 14 rows in every format', () => {
  const files = [
    ['appeals-utf8-bom-semicolon.csv', 'utf-8', ';'],
    ['appeals-1251-comma.csv', 'windows-1251', ','],
    ['appeals-utf8-tab.tsv', 'utf-8', '\t'],
    ['appeals-utf8-pipe.csv', 'utf-8', '|'],
    ['appeals.xlsx', undefined, undefined],
  ] as const;

  it.each(files)('%s: exact report, nothing silently dropped', async (name, encoding, delimiter) => {
    const { table, mapping, appeals, report } = await importFixture(name);
    expect(table.encoding).toBe(encoding);
    expect(table.delimiter).toBe(delimiter);
    expect(mapping).toEqual({ date: 0, text: 1, district: 2, settlement: 3, address: 4, category: 5, source: 6, status: 7 });
    expect(report.rowsRead).toBe(14);
    expect(report.imported).toBe(9);
    expect(report.duplicates).toEqual([{ row: 9, firstRow: 2 }]);
    expect(report.skipped.map(({ row, reason }) => [row, reason])).toEqual([
      [10, 'no-text'],
      [11, 'invalid-date'],
      [12, 'empty-row'],
      [13, 'extra-columns'],
    ]);
    expect(report.imported + report.skipped.length + report.duplicates.length).toBe(report.rowsRead);
    expect(report.territory).toEqual({ resolved: 6, partial: 1, unresolved: 2, missing: 0 });
    expect(report.unresolvedTerritories).toEqual([
      { name: 'Березовка', rows: [15], partial: false },
      { name: 'д. Нигдеево', rows: [7], partial: true },
      { name: 'Неизвестный район', rows: [8], partial: false },
    ]);
    expect(report.undated).toBe(1);

    const byRow = new Map(appeals.map((appeal) => [appeal.row, appeal]));
    expect([...byRow.keys()]).toEqual([2, 3, 4, 5, 6, 7, 8, 14, 15]);
    expect(byRow.get(2)).toMatchObject({
      receivedAt: '2025-03-14',
      text: 'Яма на дороге у школы №3, машины бьют колёса',
      territoryId: northVillage.id,
      category: 'roads',
      channel: 'appeal',
      sourceName: 'Госуслуги',
      status: 'В работе',
    });
    expect(byRow.get(3)).toMatchObject({ receivedAt: '2025-03-15', territoryId: berezovkaNorth.id, category: 'housing', channel: 'social' });
    expect(byRow.get(3)!.text).toBe('Не вывозят мусор; контейнеры переполнены, "Чистый город" не приезжает');
    expect(byRow.get(4)).toMatchObject({ text: 'Нет освещения во дворе.\nВечером страшно ходить с детьми', territoryId: zarechnyTown.id });
    expect(byRow.get(5)).toMatchObject({ receivedAt: '2025-03-16', territoryId: berezovkaZar.id, category: 'transport', channel: 'social' });
    expect(byRow.get(6)).toMatchObject({ receivedAt: '2025-03-17', territoryId: north.id });
    expect(byRow.get(7)).toMatchObject({ territoryId: north.id, category: 'health', territoryName: 'Северный р-н, д. Нигдеево' });
    expect(byRow.get(8)!.territoryId).toBeUndefined();
    expect(byRow.get(8)!.territoryName).toBe('Неизвестный район');
    expect(byRow.get(14)).toMatchObject({ territoryId: northVillage.id, category: 'improvement' });
    expect(byRow.get(14)!.receivedAt).toBeUndefined();
    expect(byRow.get(15)!.territoryId).toBeUndefined();
  });

  it('reports progress up to the total', async () => {
    const table = await readAppealTable(read('appeals-utf8-tab.tsv'));
    const progress: [number, number][] = [];
    importAppeals(table, guessMapping(table.headers), { territories, categories, onProgress: (done, total) => progress.push([done, total]) });
    expect(progress.at(-1)).toEqual([14, 14]);
  });

  it('skips a quoted field that never closes, with the rows it swallowed, and keeps the rest', async () => {
    const { report, appeals } = await importFixture('appeals-unterminated-quote.csv');
    expect(report.rowsRead).toBe(3);
    expect(appeals.map((a) => a.text)).toEqual(['Яма на дороге', 'Нет воды "третий день"']);
    expect(report.skipped).toEqual([{ row: 4, reason: 'unterminated-quote' }]);
  });
});

describe('bad files give an error code the UI translates', () => {
  const expectCode = async (run: () => Promise<unknown>, code: AppealImportErrorCode) => {
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppealImportError);
    expect((error as AppealImportError).code).toBe(code);
  };

  it.each([
    ['empty.csv', 'empty-file'],
    ['garbage.bin', 'binary-file'],
    ['header-only.csv', 'no-data-rows'],
    ['broken.xlsx', 'unreadable-xlsx'],
  ] as const)('%s → %s', async (name, code) => {
    await expectCode(() => readAppealTable(read(name)), code);
  });

  it('no-text-column when no column is (or is mapped as) the text', async () => {
    const table = await readAppealTable(read('no-text-column.csv'));
    const mapping = guessMapping(table.headers);
    expect(mapping.text).toBeUndefined();
    await expectCode(async () => importAppeals(table, mapping, { territories, categories }), 'no-text-column');
    // the user corrects the mapping: the address column becomes the text
    const fixed = remapColumn(mapping, 'text', 2);
    expect(fixed).toEqual({ date: 0, district: 1, text: 2 });
    expect(importAppeals(table, fixed, { territories, categories }).report.imported).toBe(1);
  });

  it('refuses the old binary .xls format by name', async () => {
    await expectCode(() => readAppealTable(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])), 'old-excel-format');
  });
});

describe('import pieces', () => {
  it('guesses the usual Russian headers', () => {
    expect(guessMapping(['№', 'Дата поступления', 'Содержание', 'Муниципалитет', 'НП', 'Категория обращения', 'Канал поступления', 'Статус', 'Дата ответа'])).toEqual({
      date: 1,
      text: 2,
      district: 3,
      settlement: 4,
      category: 5,
      source: 6,
      status: 7,
    });
    expect(guessMapping(['Суть обращения', 'Тематика', 'Территория', 'Место'])).toEqual({ text: 0, category: 1, territory: 2, address: 3 });
  });

  it('normalises territory names: case, ё, abbreviations, kind words', () => {
    for (const name of ['г. Заречный', 'город Заречный', 'Заречный г.о.', 'ЗАРЕЧНЫЙ городской округ', 'МО «Заречный»']) {
      expect(normalizeTerritoryName(name)).toBe('заречный');
    }
    expect(normalizeTerritoryName('Северный р-н')).toBe('северный');
    expect(normalizeTerritoryName('с. Берёзовка')).toBe('березовка');
    expect(normalizeTerritoryName('д.Нижняя  Ольховка')).toBe('нижняя ольховка');
  });

  it('resolves aliases and tells same-named settlements apart only by their district', () => {
    const resolver = new TerritoryResolver(territories);
    expect(resolver.resolve({ district: 'Сев. район' })).toEqual({ status: 'resolved', territoryId: north.id });
    expect(resolver.resolve({ settlement: 'Березовка' })).toEqual({ status: 'unresolved', unresolvedName: 'Березовка' });
    expect(resolver.resolve({ district: 'Северный', settlement: 'Березовка' })).toEqual({ status: 'resolved', territoryId: berezovkaNorth.id });
    expect(resolver.resolve({ district: 'Северный', settlement: 'Северный' })).toEqual({ status: 'resolved', territoryId: northVillage.id });
    expect(resolver.resolve({})).toEqual({ status: 'missing' });
  });

  it('parses the date formats of Russian exports and refuses impossible dates', () => {
    expect(parseAppealDate('14.03.2025')).toBe('2025-03-14');
    expect(parseAppealDate('4.3.25 10:15')).toBe('2025-03-04');
    expect(parseAppealDate('2025-03-14T10:15:00+03:00')).toBe('2025-03-14');
    expect(parseAppealDate('14 марта 2025 г.')).toBe('2025-03-14');
    expect(parseAppealDate('45730')).toBe('2025-03-14');
    expect(parseAppealDate('')).toBeUndefined();
    expect(parseAppealDate('29.02.2025')).toBeNull();
    expect(parseAppealDate('вчера')).toBeNull();
  });

  it('parses quotes, doubled quotes, line breaks and detects the delimiter', () => {
    expect(parseCsv('a;"b;c";"d ""e"""\r\n"f\ng";h\n', ';').rows).toEqual([
      ['a', 'b;c', 'd "e"'],
      ['f\ng', 'h'],
    ]);
    expect(detectDelimiter('Дата,Текст,Район\n1,"a;b",c\n2,d,e\n')).toBe(',');
    expect(detectDelimiter('Дата;Текст;Район\n1;a, b;c\n2;d, e;f\n')).toBe(';');
  });
});
