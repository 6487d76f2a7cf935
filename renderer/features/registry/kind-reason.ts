import type { TFunction } from 'i18next';
import type { Problem } from '../../../shared/model';

/** Why a problem is systemic or situational: the rule's reason, or that a person decided. */
export function kindReason(t: TFunction, problem: Pick<Problem, 'kindDecision'>): string {
  const decision = problem.kindDecision;
  if (!decision) return '—';
  if (decision.by === 'user') return t('registry.systemicReason.user');
  return decision.reason ? t(decision.reason.key, decision.reason.params) : '—';
}
