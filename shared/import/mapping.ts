/** The appeal fields a file's columns can map to. */
export const appealFields = ['date', 'text', 'address', 'district', 'settlement', 'territory', 'category', 'status', 'source'] as const;
export type AppealField = (typeof appealFields)[number];

/** Field → column index (0-based) in the file; a field left out is not imported. */
export type ColumnMapping = Partial<Record<AppealField, number>>;

// Usual headers of Russian appeal exports (ПОС, ЦУР incident lists, МФЦ, Excel registers),
// normalised like `normalizeHeader`. Exact names first; then the words a header contains.
const exactHeaders: Record<AppealField, string[]> = {
  date: ['дата', 'дата обращения', 'дата поступления', 'дата регистрации', 'дата создания', 'дата публикации', 'дата сообщения', 'дата и время', 'date', 'created', 'created at'],
  text: ['текст', 'текст обращения', 'содержание', 'содержание обращения', 'суть обращения', 'краткое содержание', 'обращение', 'сообщение', 'текст сообщения', 'описание', 'описание проблемы', 'вопрос', 'text', 'message', 'description'],
  address: ['адрес', 'адрес проблемы', 'адрес обращения', 'место', 'местоположение', 'address', 'location'],
  district: ['район', 'муниципальный район', 'муниципалитет', 'муниципальное образование', 'мо', 'городской округ', 'округ', 'муниципальный округ', 'district', 'municipality'],
  settlement: ['населенный пункт', 'нп', 'поселение', 'город', 'село', 'поселок', 'settlement', 'locality', 'city'],
  territory: ['территория', 'territory'],
  category: ['категория', 'тема', 'тематика', 'рубрика', 'категория обращения', 'тема обращения', 'направление', 'сфера', 'category', 'topic', 'subject'],
  status: ['статус', 'состояние', 'статус обращения', 'status', 'state'],
  source: ['источник', 'канал', 'канал поступления', 'источник поступления', 'платформа', 'площадка', 'соцсеть', 'source', 'channel'],
};
const containedWords: [AppealField, string[]][] = [
  ['date', ['дата', 'date']],
  ['text', ['текст', 'содержан', 'суть', 'обращени', 'сообщени', 'описани', 'text']],
  ['address', ['адрес', 'address']],
  ['settlement', ['населен', 'поселени', 'поселок']],
  ['district', ['район', 'муниципал', 'округ']],
  ['territory', ['территор']],
  ['category', ['категор', 'тема', 'тематик', 'рубрик']],
  ['status', ['статус']],
  ['source', ['источник', 'канал']],
];

export function normalizeHeader(header: string): string {
  return header
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^0-9a-zа-я]+/g, ' ')
    .trim();
}

/**
 * Guesses which column holds which field from the header row. Each column serves one
 * field; exact header names win over headers that merely contain a telling word
 * («Дата ответа» is a date column only if nothing is called «Дата …обращения»).
 */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const used = new Set<number>();
  const normalized = headers.map(normalizeHeader);
  for (const field of appealFields) {
    const column = normalized.findIndex((header, index) => !used.has(index) && exactHeaders[field].includes(header));
    if (column >= 0) {
      mapping[field] = column;
      used.add(column);
    }
  }
  for (const [field, words] of containedWords) {
    if (mapping[field] !== undefined) continue;
    const column = normalized.findIndex((header, index) => !used.has(index) && words.some((word) => header.includes(word)));
    if (column >= 0) {
      mapping[field] = column;
      used.add(column);
    }
  }
  return mapping;
}

/** Sets one field's column (or clears it with `undefined`); a column taken by another field is freed from it. */
export function remapColumn(mapping: ColumnMapping, field: AppealField, column: number | undefined): ColumnMapping {
  const next: ColumnMapping = {};
  for (const key of appealFields) {
    const current = mapping[key];
    if (key !== field && current !== undefined && current !== column) next[key] = current;
  }
  if (column !== undefined) next[field] = column;
  return next;
}
