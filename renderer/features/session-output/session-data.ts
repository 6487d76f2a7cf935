import type * as Y from 'yjs';
import type { SummaryRoundInput, SummaryStageInput } from '../../../shared/export/session-summary';
import type { Id } from '../../../shared/ids';
import type { TemplateStage } from '../../../shared/model';

// Until the session model (agenda, voting) is on main, a board has no agenda and no rounds.
export function readSessionForSummary(_doc: Y.Doc): { agenda: SummaryStageInput[]; rounds: SummaryRoundInput[]; votes: Map<Id, number> } {
  return { agenda: [], rounds: [], votes: new Map() };
}

export function setAgendaFromTemplate(_doc: Y.Doc, _origin: unknown, _stages: TemplateStage[]): boolean {
  return false;
}
