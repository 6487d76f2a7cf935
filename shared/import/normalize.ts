import type { ProblemCategory, SignalSourceKind } from '../model/records';

/** Lowercase, «ё» → «е», anything but letters and digits collapsed to one space. */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^0-9a-zа-я]+/g, ' ')
    .trim();
}

const monthStems = ['янв', 'фев', 'мар', 'апр', 'ма', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'];

/**
 * A date cell as YYYY-MM-DD: ISO, day-first «14.03.2025» / «14/03/25» (with or without
 * a time), «14 марта 2025», or an Excel serial day. `undefined` for an empty cell,
 * `null` for text that is not a real date.
 */
export function parseAppealDate(value: string): string | undefined | null {
  const text = value.trim().toLowerCase();
  if (!text) return undefined;
  let year: number;
  let month: number;
  let day: number;
  let match: RegExpMatchArray | null;
  if ((match = text.match(/^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[t\s])/))) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = text.match(/^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?:$|[\s,t])/))) {
    [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (match[3]!.length === 2) year += 2000;
  } else if ((match = text.match(/^(\d{1,2})\s+([а-я]+)\.?\s+(\d{4})/))) {
    const stem = monthStems.findIndex((s) => match![2]!.startsWith(s));
    if (stem < 0) return null;
    [day, month, year] = [Number(match[1]), stem + 1, Number(match[3])];
  } else if ((match = text.match(/^(\d{5})(?:[.,]\d+)?$/))) {
    // Excel serial: days since 1899-12-30
    const date = new Date(Date.UTC(1899, 11, 30) + Number(match[1]) * 86_400_000);
    [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  } else {
    return null;
  }
  if (year < 1990 || year > 2100) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

const channelWords: [SignalSourceKind, string[]][] = [
  ['social', ['соц', 'вк', 'вконтакте', 'vk', 'telegram', 'телеграм', 'одноклассник', 'ок', 'инцидент', 'госпаблик', 'паблик', 'комментар', 'пост', 'мессенджер', 'max', 'дзен']],
  ['sociology', ['социолог', 'опрос', 'анкет']],
  ['meeting', ['сход', 'встреч', 'собрани', 'прием', 'приём']],
  ['session', ['сесси', 'стратсесс']],
];

/** The source kind a "source / channel" cell names; anything else is an appeal (site, Госуслуги, letter, phone). */
export function channelOf(value: string): SignalSourceKind {
  const words = normalizeText(value).split(' ');
  if (words.length === 0 || words[0] === '') return 'appeal';
  for (const [kind, stems] of channelWords) {
    if (words.some((word) => stems.some((stem) => (stem.length <= 3 ? word === stem : word.startsWith(stem))))) return kind;
  }
  return 'appeal';
}

// Words in a file's category that point to a default category (only used when the workspace has that id).
const categoryStems: [string, string[]][] = [
  ['roads', ['дорог', 'дорож', 'ям', 'асфальт', 'тротуар', 'мост']],
  ['housing', ['жкх', 'жилищ', 'коммунал', 'отоплен', 'водоснаб', 'водоотвед', 'канализ', 'электроснаб', 'газоснаб', 'газификац', 'тко', 'мусор', 'капремонт', 'капитальн']],
  ['improvement', ['благоустр', 'двор', 'парк', 'сквер', 'освещен', 'детск площад', 'озеленен']],
  ['transport', ['транспорт', 'автобус', 'маршрут', 'проезд', 'перевоз']],
  ['health', ['здравоохр', 'медицин', 'больниц', 'поликлин', 'фап', 'врач', 'лекарств']],
  ['education', ['образован', 'школ', 'детск сад', 'детсад', 'учебн']],
  ['social', ['социальн', 'соцзащит', 'пособи', 'льгот', 'пенси']],
  ['ecology', ['эколог', 'природ', 'свалк', 'загрязн', 'вод объект']],
  ['safety', ['безопасн', 'правопоряд', 'полиц', 'пожар', 'чс']],
];

/** Maps a file's category text to a workspace category id: by label, by id, then by telling words. */
export function categoryMatcher(categories: readonly ProblemCategory[]): (value: string) => string | undefined {
  const byLabel = new Map<string, string>();
  for (const category of categories) {
    byLabel.set(normalizeText(category.label), category.id);
    byLabel.set(normalizeText(category.id), category.id);
  }
  const known = new Set(categories.map((c) => c.id));
  const cache = new Map<string, string | undefined>();
  return (value) => {
    const key = normalizeText(value);
    if (!key) return undefined;
    if (cache.has(key)) return cache.get(key);
    let found = byLabel.get(key);
    if (!found) {
      for (const [id, stems] of categoryStems) {
        if (known.has(id) && stems.some((stem) => startsWord(key, stem))) {
          found = id;
          break;
        }
      }
    }
    cache.set(key, found);
    return found;
  };
}

/** Does some word of `text` (normalised) start with `stem` (which may span words)? */
function startsWord(text: string, stem: string): boolean {
  return text.startsWith(stem) || text.includes(' ' + stem);
}
