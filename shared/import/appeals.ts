import { newId, type Id } from '../ids';
import { appealSchema, type Appeal, type ProblemCategory, type Territory } from '../model/records';
import { detectDelimiter, parseCsv, type CsvDelimiter } from './csv';
import { decodeText, sniffFormat, type FileFormat, type TextEncodingName } from './decode';
import { AppealImportError } from './errors';
import type { ColumnMapping } from './mapping';
import { categoryMatcher, channelOf, normalizeText, parseAppealDate } from './normalize';
import { TerritoryResolver } from './territory';
import { readXlsxWithExcelJs, type XlsxReader } from './xlsx';

/** A file read into a header and text rows, before mapping. */
export interface AppealTable {
  format: FileFormat;
  encoding?: TextEncodingName;
  delimiter?: CsvDelimiter;
  headers: string[];
  /** Row number (1-based, as Excel shows it) of the header. */
  headerRow: number;
  /** Rows after the header; `rows[i]` is file row `headerRow + 1 + i`. */
  rows: string[][];
  /** Row number of a quoted CSV field that never closes (it swallowed the rest of the file). */
  unterminatedRow?: number;
}

/** Reads a CSV (any delimiter, UTF-8 or Windows-1251) or XLSX file. Throws `AppealImportError` for a file it can't use. */
export async function readAppealTable(bytes: Uint8Array, options: { readXlsx?: XlsxReader } = {}): Promise<AppealTable> {
  const format = sniffFormat(bytes);
  let cells: string[][];
  let encoding: TextEncodingName | undefined;
  let delimiter: CsvDelimiter | undefined;
  let unterminatedRow: number | undefined;
  if (format === 'xlsx') {
    cells = await (options.readXlsx ?? readXlsxWithExcelJs)(bytes);
  } else {
    const decoded = decodeText(bytes);
    encoding = decoded.encoding;
    delimiter = detectDelimiter(decoded.text);
    const parsed = parseCsv(decoded.text, delimiter);
    cells = parsed.rows;
    unterminatedRow = parsed.unterminatedRow;
  }
  const headerIndex = cells.findIndex((row) => row.some((cell) => cell.trim() !== ''));
  if (headerIndex < 0) throw new AppealImportError('empty-file');
  const headers = cells[headerIndex]!.map((cell) => cell.trim());
  // trailing blank rows (Excel's used range, a final newline) are not rows of the file's data
  let end = cells.length;
  while (end > headerIndex + 1 && cells[end - 1]!.every((cell) => cell.trim() === '')) end--;
  const rows = cells.slice(headerIndex + 1, end);
  if (rows.length === 0) throw new AppealImportError('no-data-rows');
  return { format, encoding, delimiter, headers, headerRow: headerIndex + 1, rows, unterminatedRow };
}

/** The first rows for the mapping step's preview. */
export function previewRows(table: AppealTable, count = 10): string[][] {
  return table.rows.slice(0, count);
}

export const skipReasons = ['empty-row', 'no-text', 'invalid-date', 'text-too-long', 'extra-columns', 'unterminated-quote'] as const;
export type SkipReason = (typeof skipReasons)[number];

export interface ImportReport {
  /** Data rows in the file (header and trailing blank rows excluded). Always imported + skipped + duplicates. */
  rowsRead: number;
  imported: number;
  /** Rows not imported, each with its file row number and why (translated as `registry.skipReason.<reason>`). */
  skipped: { row: number; reason: SkipReason; value?: string }[];
  /** Same date + text + address (normalised) as an earlier row: not imported again. */
  duplicates: { row: number; firstRow: number }[];
  territory: { resolved: number; partial: number; unresolved: number; missing: number };
  /** Territory names not in the workspace list, grouped, so the user can fix them (or add an alias) at once. */
  unresolvedTerritories: { name: string; rows: number[]; partial: boolean }[];
  /** Imported rows without a date (the systemic rule can't count them). */
  undated: number;
  format: FileFormat;
  encoding?: TextEncodingName;
  delimiter?: CsvDelimiter;
}

export interface ImportContext {
  territories: readonly Territory[];
  categories: readonly ProblemCategory[];
  newId?: () => Id;
  onProgress?: (done: number, total: number) => void;
}

const MAX_TEXT = 20_000;

/**
 * Turns mapped rows into appeals and a report. Nothing is dropped silently: every data
 * row is imported, skipped with a reason, or reported as a duplicate; rows whose
 * territory can't be resolved are imported and listed for the user.
 */
export function importAppeals(table: AppealTable, mapping: ColumnMapping, context: ImportContext): { appeals: Appeal[]; report: ImportReport } {
  if (mapping.text === undefined) throw new AppealImportError('no-text-column');
  const makeId = context.newId ?? newId;
  const resolver = new TerritoryResolver(context.territories);
  const matchCategory = categoryMatcher(context.categories);
  const report: ImportReport = {
    rowsRead: table.rows.length,
    imported: 0,
    skipped: [],
    duplicates: [],
    territory: { resolved: 0, partial: 0, unresolved: 0, missing: 0 },
    unresolvedTerritories: [],
    undated: 0,
    format: table.format,
    encoding: table.encoding,
    delimiter: table.delimiter,
  };
  const unresolved = new Map<string, { name: string; rows: number[]; partial: boolean }>();
  const seen = new Map<string, number>();
  const appeals: Appeal[] = [];
  const maxMapped = Math.max(...Object.values(mapping).filter((v): v is number => v !== undefined));
  const width = Math.max(table.headers.length, maxMapped + 1);
  const cell = (row: string[], column: number | undefined) => (column === undefined ? '' : (row[column] ?? '').trim());
  const total = table.rows.length;

  for (let index = 0; index < total; index++) {
    const row = table.rows[index]!;
    const rowNumber = table.headerRow + 1 + index;
    if (index % 2000 === 0) context.onProgress?.(index, total);
    if (table.unterminatedRow !== undefined && rowNumber >= table.unterminatedRow) {
      report.skipped.push({ row: rowNumber, reason: 'unterminated-quote' });
      continue;
    }
    if (row.every((value) => value.trim() === '')) {
      report.skipped.push({ row: rowNumber, reason: 'empty-row' });
      continue;
    }
    if (row.length > width && row.slice(width).some((value) => value.trim() !== '')) {
      // an unquoted delimiter inside a cell shifted the columns: importing it would mix fields
      report.skipped.push({ row: rowNumber, reason: 'extra-columns', value: String(row.length) });
      continue;
    }
    const text = cell(row, mapping.text);
    if (!text) {
      report.skipped.push({ row: rowNumber, reason: 'no-text' });
      continue;
    }
    if (text.length > MAX_TEXT) {
      report.skipped.push({ row: rowNumber, reason: 'text-too-long', value: String(text.length) });
      continue;
    }
    const rawDate = cell(row, mapping.date);
    const receivedAt = parseAppealDate(rawDate);
    if (receivedAt === null) {
      report.skipped.push({ row: rowNumber, reason: 'invalid-date', value: rawDate.slice(0, 100) });
      continue;
    }
    const address = cell(row, mapping.address);
    const key = `${receivedAt ?? ''}\u0000${normalizeText(text)}\u0000${normalizeText(address)}`;
    const firstRow = seen.get(key);
    if (firstRow !== undefined) {
      report.duplicates.push({ row: rowNumber, firstRow });
      continue;
    }
    seen.set(key, rowNumber);

    const district = cell(row, mapping.district);
    const settlement = cell(row, mapping.settlement);
    const territory = cell(row, mapping.territory);
    const resolution = resolver.resolve({ district, settlement, territory, address });
    report.territory[resolution.status]++;
    if (resolution.status === 'unresolved' || resolution.status === 'partial') {
      const name = resolution.unresolvedName;
      const group = unresolved.get(name) ?? { name, rows: [], partial: resolution.status === 'partial' };
      group.rows.push(rowNumber);
      unresolved.set(name, group);
    }
    const territoryName = [district, settlement || territory].filter(Boolean).join(', ');
    const categoryName = cell(row, mapping.category);
    const sourceName = cell(row, mapping.source);
    if (!receivedAt) report.undated++;
    appeals.push(
      appealSchema.parse({
        id: makeId(),
        row: rowNumber,
        receivedAt,
        text,
        address: address.slice(0, 1000),
        territoryName: territoryName.slice(0, 300),
        territoryId: 'territoryId' in resolution ? resolution.territoryId : undefined,
        categoryName: categoryName.slice(0, 300),
        category: matchCategory(categoryName),
        status: cell(row, mapping.status).slice(0, 300),
        channel: channelOf(sourceName),
        sourceName: sourceName.slice(0, 300),
      }),
    );
  }
  report.imported = appeals.length;
  report.unresolvedTerritories = [...unresolved.values()].sort((a, b) => b.rows.length - a.rows.length || a.name.localeCompare(b.name, 'ru'));
  context.onProgress?.(total, total);
  return { appeals, report };
}
