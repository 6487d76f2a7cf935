/** Delimiters we recognise in appeal exports, in the order ties are broken. */
export const csvDelimiters = [';', ',', '\t', '|'] as const;
export type CsvDelimiter = (typeof csvDelimiters)[number];

/**
 * The delimiter that splits the first lines (outside quotes) into the same, largest
 * number of cells. Exports from Russian Excel use ';', others ',' or tab.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const sample = text.slice(0, 64 * 1024);
  let best: { delimiter: CsvDelimiter; score: number } = { delimiter: ';', score: -1 };
  for (const delimiter of csvDelimiters) {
    const rows = parseCsv(sample, delimiter, 30).rows.filter((row) => row.length > 1 || row[0] !== '');
    if (rows.length === 0) continue;
    // Drop the last sampled row: the sample may cut it short.
    const counted = rows.length > 2 ? rows.slice(0, -1) : rows;
    const counts = new Map<number, number>();
    for (const row of counted) counts.set(row.length, (counts.get(row.length) ?? 0) + 1);
    const [cells, agreeing] = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]!;
    if (cells < 2) continue;
    const score = (agreeing / counted.length) * 1000 + cells;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

export interface CsvParse {
  rows: string[][];
  /** 1-based index of a record whose quoted field never closes (it runs to the end of the file). */
  unterminatedRow?: number;
}

/**
 * RFC 4180 parsing: quoted fields may hold delimiters, doubled quotes and line breaks;
 * CRLF, LF and CR line ends. A quote inside an unquoted field is kept as text.
 */
export function parseCsv(text: string, delimiter: string, maxRows = Infinity): CsvParse {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  const delim = delimiter.charCodeAt(0);
  let unterminatedRow: number | undefined;
  while (i < n && rows.length < maxRows) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */ && field === '') {
      // quoted field
      let j = i + 1;
      let value = '';
      let closed = false;
      while (j < n) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          value += text.slice(j);
          j = n;
          break;
        }
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          closed = true;
          break;
        }
      }
      if (!closed) unterminatedRow = rows.length + 1;
      field = value;
      i = j;
      // anything between the closing quote and the next delimiter is kept as text
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === delim || d === 10 || d === 13) break;
        field += text[i];
        i++;
      }
      continue;
    }
    if (c === delim) {
      row.push(field);
      field = '';
      i++;
    } else if (c === 10 || c === 13) {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    } else {
      // run of plain characters up to the next special one
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === delim || d === 10 || d === 13) break;
        j++;
      }
      field += text.slice(i, j);
      i = j;
    }
  }
  if ((field !== '' || row.length > 0) && rows.length < maxRows) {
    row.push(field);
    rows.push(row);
  }
  return { rows, unterminatedRow };
}
