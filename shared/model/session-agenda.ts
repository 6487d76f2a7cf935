import { z } from 'zod';
import { idPattern, type Id } from '../ids';
import { MINUTE_MS } from './session-timer';

// The agenda: ordered stages with timeboxes. A stage records when it ACTUALLY started
// and ended (the summary prints "agenda with actual times"), on the clock of the
// facilitator who moved the session on.

export const agendaStageSchema = z.object({
  id: z.string().regex(idPattern),
  title: z.string().trim().min(1).max(200),
  /** Planned timebox. */
  durationMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 60 * MINUTE_MS),
  order: z.number().finite(),
  /** Private writing: participants' new stickies stay hidden from others until revealed. */
  private: z.boolean().default(false),
  startedAt: z.number().finite().optional(),
  endedAt: z.number().finite().optional(),
});
export type AgendaStage = z.infer<typeof agendaStageSchema>;

/** The default stages of a strategic session; titles are i18n keys under `session.defaultStages`. */
export const DEFAULT_STAGE_KEYS = ['problems', 'causes', 'ideas', 'voting', 'projects'] as const;
export const DEFAULT_STAGE_MINUTES: Record<(typeof DEFAULT_STAGE_KEYS)[number], number> = {
  problems: 20,
  causes: 20,
  ideas: 25,
  voting: 10,
  projects: 30,
};

export type StageStatus = 'done' | 'current' | 'upcoming';

export function sortStages<T extends { order: number; id: Id }>(stages: T[]): T[] {
  return [...stages].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

export function stageStatus(stage: AgendaStage, currentId: Id | null): StageStatus {
  if (stage.id === currentId) return 'current';
  return stage.endedAt !== undefined ? 'done' : 'upcoming';
}

/** Field patches that move the session to `targetId` (null: end the session) at `now`. */
export function stageTransition(
  stages: AgendaStage[],
  currentId: Id | null,
  targetId: Id | null,
  now: number,
): { patches: { id: Id; patch: Partial<AgendaStage> }[]; currentId: Id | null } {
  const patches: { id: Id; patch: Partial<AgendaStage> }[] = [];
  if (currentId === targetId) return { patches, currentId };
  const current = stages.find((stage) => stage.id === currentId);
  if (current) patches.push({ id: current.id, patch: { endedAt: now } });
  const target = stages.find((stage) => stage.id === targetId);
  if (!target) return { patches, currentId: null };
  // Going back to a stage restarts it: its earlier end no longer applies.
  patches.push({ id: target.id, patch: { startedAt: target.startedAt ?? now, endedAt: undefined } });
  return { patches, currentId: target.id };
}

/** The stage after the current one in order; the first if none is current. */
export function nextStageId(stages: AgendaStage[], currentId: Id | null): Id | null {
  const ordered = sortStages(stages);
  if (currentId === null) return ordered[0]?.id ?? null;
  const index = ordered.findIndex((stage) => stage.id === currentId);
  return ordered[index + 1]?.id ?? null;
}

/** How long a stage actually took (so far, for the current one). */
export function actualDurationMs(stage: AgendaStage, now: number): number | undefined {
  if (stage.startedAt === undefined) return undefined;
  return Math.max(0, (stage.endedAt ?? now) - stage.startedAt);
}
