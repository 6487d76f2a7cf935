import { AppealImportError } from './errors';

/** Reads the first worksheet's cells as text rows; injectable so a host can supply its own reader. */
export type XlsxReader = (bytes: Uint8Array) => Promise<string[][]>;

/**
 * The default reader: exceljs, loaded only when an XLSX file arrives (it is large).
 * Dates become YYYY-MM-DD, formulas their cached result, rich text its plain text.
 */
export const readXlsxWithExcelJs: XlsxReader = async (bytes) => {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs' load() accepts an ArrayBuffer in the browser bundle and in Node
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as never);
  } catch (error) {
    throw new AppealImportError('unreadable-xlsx', { detail: String(error).slice(0, 200) });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    const values = row.values as unknown[];
    for (let col = 1; col < values.length; col++) cells.push(cellText(values[col]));
    rows[rowNumber - 1] = cells;
  });
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  return rows;
};

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { result?: unknown; richText?: { text: string }[]; text?: unknown; hyperlink?: string };
    if (v.richText) return v.richText.map((part) => part.text).join('');
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    return '';
  }
  return String(value);
}
