import { z } from 'zod';

// The session timer lives in the board doc as one value, written only by a facilitator.
// Remaining time is computed from it on every screen, never ticked into the doc: a
// participant joining late computes the same remaining time from the same fields.
// `startedAt` is the writer's wall clock (ms since epoch); readers correct for their own
// clock's offset to the writer's (see estimateClockOffset).

export const MINUTE_MS = 60_000;
const MAX_TIMER_MS = 24 * 60 * MINUTE_MS;

export const timerSchema = z.object({
  durationMs: z.number().int().min(0).max(MAX_TIMER_MS),
  /** Writer's wall clock when the timer last started running; null while paused. */
  startedAt: z.number().finite().nullable(),
  /** Time left at `startedAt` (running) or now (paused). */
  pausedRemainingMs: z.number().int().min(0).max(MAX_TIMER_MS),
  running: z.boolean(),
  /** Profile id of the writer, whose clock `startedAt` is on. */
  clockOf: z.string().max(100).optional(),
});
export type SessionTimer = z.infer<typeof timerSchema>;

export function newTimer(durationMs: number): SessionTimer {
  const duration = clampDuration(durationMs);
  return { durationMs: duration, startedAt: null, pausedRemainingMs: duration, running: false };
}

function clampDuration(ms: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(0, Math.round(ms)));
}

/** Milliseconds left at `now` (on the writer's clock). */
export function remainingMs(timer: SessionTimer, now: number): number {
  if (!timer.running || timer.startedAt === null) return timer.pausedRemainingMs;
  return Math.max(0, timer.pausedRemainingMs - Math.max(0, now - timer.startedAt));
}

/** A timer that ran down to zero; a paused or fresh timer at zero is not "ended". */
export function hasEnded(timer: SessionTimer, now: number): boolean {
  return timer.running && remainingMs(timer, now) === 0;
}

export function startTimer(timer: SessionTimer, now: number, clockOf?: string): SessionTimer {
  if (timer.running) return timer;
  const left = timer.pausedRemainingMs > 0 ? timer.pausedRemainingMs : timer.durationMs;
  return { ...timer, pausedRemainingMs: left, startedAt: now, running: true, ...(clockOf ? { clockOf } : {}) };
}

export function pauseTimer(timer: SessionTimer, now: number): SessionTimer {
  if (!timer.running) return timer;
  return { ...timer, pausedRemainingMs: remainingMs(timer, now), startedAt: null, running: false };
}

/** +1 minute (or `ms`): both the time left and the timebox grow, running or not. */
export function extendTimer(timer: SessionTimer, now: number, ms = MINUTE_MS, clockOf?: string): SessionTimer {
  const left = clampDuration(remainingMs(timer, now) + ms);
  const durationMs = clampDuration(timer.durationMs + ms);
  if (!timer.running) return { ...timer, durationMs, pausedRemainingMs: left };
  return { ...timer, durationMs, pausedRemainingMs: left, startedAt: now, ...(clockOf ? { clockOf } : {}) };
}

export function resetTimer(timer: SessionTimer, durationMs: number = timer.durationMs): SessionTimer {
  return { ...newTimer(durationMs), ...(timer.clockOf ? { clockOf: timer.clockOf } : {}) };
}

/** "m:ss" (or "h:mm:ss"), rounding up so the display shows 0:00 only when time is up. */
export function formatRemaining(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * Offset of a remote clock against ours, from samples of (remote clock when sent, our
 * clock when received). Each sample gives `sent - received = offset - latency`, and
 * latency ≥ 0, so the largest sample is the tightest estimate (off by the smallest
 * latency seen, milliseconds on a LAN). Returns 0 without samples.
 */
export function estimateClockOffset(samples: { sentAt: number; receivedAt: number }[]): number {
  if (samples.length === 0) return 0;
  return Math.max(...samples.map((sample) => sample.sentAt - sample.receivedAt));
}
