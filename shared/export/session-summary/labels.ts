import type { Locale } from '../../host';

// The document's own words. The summary is a document, not UI: it is generated in
// shared/ (desktop, browser, tests alike), so its few headings live in this table
// rather than in the renderer's i18next resources.

export interface SummaryLabels {
  heading: string;
  workspace: string;
  date: string;
  generated: string;
  participants: string;
  noParticipants: string;
  agenda: string;
  noAgenda: string;
  stage: string;
  planned: string;
  actual: string;
  started: string;
  minutes: (n: number) => string;
  notStarted: string;
  clusters: string;
  noClusters: string;
  outsideFrames: string;
  votes: (n: number) => string;
  author: string;
  voting: string;
  noVoting: string;
  round: (title: string) => string;
  place: string;
  idea: string;
  cluster: string;
  votesColumn: string;
  decisions: string;
  noDecisions: string;
  problem: string;
  project: string;
  fromAuthors: string;
  picture: string;
  pictureAlt: string;
  /** "Стр. 2 из 5" as its pieces around the two numbers. */
  page: { before: string; between: string };
}

function ruPlural(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
}

export const summaryLabels: Record<Locale, SummaryLabels> = {
  ru: {
    heading: 'Итоги стратегической сессии',
    workspace: 'Пространство',
    date: 'Дата',
    generated: 'Документ сформирован',
    participants: 'Участники',
    noParticipants: 'Участники не указаны.',
    agenda: 'Повестка',
    noAgenda: 'Повестка не задавалась.',
    stage: 'Этап',
    planned: 'План',
    actual: 'Факт',
    started: 'Время',
    minutes: (n) => `${n} мин`,
    notStarted: 'не проводился',
    clusters: 'Кластеры и стикеры',
    noClusters: 'На доске нет стикеров.',
    outsideFrames: 'Вне кластеров',
    votes: (n) => `${n} ${ruPlural(n, 'голос', 'голоса', 'голосов')}`,
    author: 'автор',
    voting: 'Результаты голосования',
    noVoting: 'Голосование не проводилось.',
    round: (title) => (/^\d+$/.test(title) ? `Раунд ${title}` : title),
    place: 'Место',
    idea: 'Стикер',
    cluster: 'Кластер',
    votesColumn: 'Голоса',
    decisions: 'Решения: проблемы и проекты',
    noDecisions: 'Проблемы и проекты с этой доски не создавались.',
    problem: 'Проблема',
    project: 'Проект',
    fromAuthors: 'Авторы идей',
    picture: 'Доска',
    pictureAlt: 'Доска сессии: кластеры и стикеры',
    page: { before: 'Стр. ', between: ' из ' },
  },
  en: {
    heading: 'Strategic session summary',
    workspace: 'Workspace',
    date: 'Date',
    generated: 'Generated',
    participants: 'Participants',
    noParticipants: 'No participants recorded.',
    agenda: 'Agenda',
    noAgenda: 'No agenda was set.',
    stage: 'Stage',
    planned: 'Planned',
    actual: 'Actual',
    started: 'Time',
    minutes: (n) => `${n} min`,
    notStarted: 'not held',
    clusters: 'Clusters and stickies',
    noClusters: 'The board has no stickies.',
    outsideFrames: 'Outside clusters',
    votes: (n) => `${n} ${n === 1 ? 'vote' : 'votes'}`,
    author: 'author',
    voting: 'Voting results',
    noVoting: 'No voting was held.',
    round: (title) => (/^\d+$/.test(title) ? `Round ${title}` : title),
    place: 'Place',
    idea: 'Sticky',
    cluster: 'Cluster',
    votesColumn: 'Votes',
    decisions: 'Decisions: problems and projects',
    noDecisions: 'No problems or projects were created from this board.',
    problem: 'Problem',
    project: 'Project',
    fromAuthors: 'Ideas by',
    picture: 'The board',
    pictureAlt: 'The session board: clusters and stickies',
    page: { before: 'Page ', between: ' of ' },
  },
};

export function formatDay(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

export function formatTime(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { hour: '2-digit', minute: '2-digit' }).format(date);
}

/** "10:05–10:27" for a stage that ran, "10:05–…" for one still running. */
export function formatSpan(start: Date | null, end: Date | null, locale: Locale): string {
  if (!start) return '';
  return `${formatTime(start, locale)}–${end ? formatTime(end, locale) : '…'}`;
}
