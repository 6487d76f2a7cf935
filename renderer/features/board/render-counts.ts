import type { Id } from '../../../shared/ids';

// Bench and test builds (VITE_STRATBOARD_INSTRUMENT=1) count node renders on window so
// the board bench can check that a drag re-renders only the dragged sticky. Normal
// builds drop this code: the flag is replaced at build time.
const instrumented = import.meta.env.VITE_STRATBOARD_INSTRUMENT === '1';

interface RenderCounts {
  byId: Record<Id, number>;
  total: number;
}

export function countRender(id: Id): void {
  if (!instrumented) return;
  const host = window as unknown as { __stratboardRenders?: RenderCounts };
  const counts = (host.__stratboardRenders ??= { byId: {}, total: 0 });
  counts.byId[id] = (counts.byId[id] ?? 0) + 1;
  counts.total += 1;
}

/** Exposes the board to the bench so it can seed thousands of stickies. */
export function exposeForBench(value: unknown): void {
  if (!instrumented) return;
  (window as unknown as { __stratboardBoard?: unknown }).__stratboardBoard = value;
}
