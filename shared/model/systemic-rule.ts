import type { Message, ProblemKind, SignalDay, SystemicRuleKind } from './records';

/**
 * The configurable rule that proposes "systemic": either enough signals inside a window
 * of weeks, or signals recurring in enough distinct months inside a window of months.
 * Either enabled test that passes makes the problem systemic.
 */
export interface SystemicRule {
  signalsInWeeks: { enabled: boolean; minSignals: number; weeks: number };
  recurrence: { enabled: boolean; minMonths: number; months: number };
}

export const defaultSystemicRule: SystemicRule = {
  signalsInWeeks: { enabled: true, minSignals: 10, weeks: 4 },
  recurrence: { enabled: true, minMonths: 3, months: 6 },
};

export interface SystemicVerdict {
  kind: Extract<ProblemKind, 'systemic' | 'situational'> | 'unclassified';
  /** The test that made it systemic; absent for situational/unclassified. */
  rule?: SystemicRuleKind;
  /** Why, as an i18n key with parameters (keys under `registry.systemicReason.*`). */
  reason: Message;
}

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Math.floor(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS);
}

function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function monthNumber(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/** The busiest window of `days` consecutive days: its signal count and bounds. */
export function busiestWindow(signalDays: readonly SignalDay[], days: number): { count: number; from?: string; to?: string } {
  const sorted = [...signalDays].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let best = { count: 0 } as { count: number; from?: string; to?: string };
  let start = 0;
  let sum = 0;
  for (let end = 0; end < sorted.length; end++) {
    const endDay = dayNumber(sorted[end]![0]);
    sum += sorted[end]![1];
    while (dayNumber(sorted[start]![0]) <= endDay - days) sum -= sorted[start++]![1];
    if (sum > best.count) best = { count: sum, from: sorted[start]![0], to: dateOfDay(dayNumber(sorted[start]![0]) + days - 1) };
  }
  return best;
}

/** The most distinct months with signals inside any window of `months` consecutive months. */
export function mostRecurrentWindow(signalDays: readonly SignalDay[], months: number): number {
  const distinct = [...new Set(signalDays.map(([date]) => monthNumber(date)))].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < distinct.length; end++) {
    while (distinct[start]! <= distinct[end]! - months) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** Applies the rule to a problem's (or candidate's) signals per day. Pure and deterministic. */
export function evaluateSystemicRule(signalDays: readonly SignalDay[], rule: SystemicRule): SystemicVerdict {
  if (signalDays.length === 0) return { kind: 'unclassified', reason: { key: 'registry.systemicReason.noDates', params: {} } };
  const { signalsInWeeks, recurrence } = rule;
  const window = busiestWindow(signalDays, Math.max(1, signalsInWeeks.weeks) * 7);
  if (signalsInWeeks.enabled && window.count >= signalsInWeeks.minSignals) {
    return {
      kind: 'systemic',
      rule: 'signals-in-weeks',
      reason: {
        key: 'registry.systemicReason.signalsInWeeks',
        params: { count: window.count, weeks: signalsInWeeks.weeks, min: signalsInWeeks.minSignals, from: window.from!, to: window.to! },
      },
    };
  }
  const monthsWithSignals = mostRecurrentWindow(signalDays, Math.max(1, recurrence.months));
  if (recurrence.enabled && monthsWithSignals >= recurrence.minMonths) {
    return {
      kind: 'systemic',
      rule: 'recurrence-months',
      reason: {
        key: 'registry.systemicReason.recurrence',
        params: { monthsWithSignals, months: recurrence.months, min: recurrence.minMonths },
      },
    };
  }
  return {
    kind: 'situational',
    reason: {
      key: 'registry.systemicReason.belowThresholds',
      params: {
        count: window.count,
        weeks: signalsInWeeks.weeks,
        min: signalsInWeeks.minSignals,
        monthsWithSignals,
        months: recurrence.months,
        minMonths: recurrence.minMonths,
      },
    },
  };
}

/** Signals per day from a list of dates (undated signals are not counted), sorted by date. */
export function signalDaysOf(dates: Iterable<string | undefined>): SignalDay[] {
  const counts = new Map<string, number>();
  for (const date of dates) if (date) counts.set(date, (counts.get(date) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** Adds up two per-day signal lists (e.g. when merging problems). */
export function mergeSignalDays(...lists: readonly (readonly SignalDay[])[]): SignalDay[] {
  const counts = new Map<string, number>();
  for (const list of lists) for (const [date, count] of list) counts.set(date, (counts.get(date) ?? 0) + count);
  return [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
