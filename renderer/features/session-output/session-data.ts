import type * as Y from 'yjs';
import { votesByNode, type SummaryRoundInput, type SummaryStageInput } from '../../../shared/export/session-summary';
import type { Id } from '../../../shared/ids';
import { readAgenda, roundsHistory, SessionDoc, type TemplateStage } from '../../../shared/model';

const MINUTE_MS = 60_000;

/** The board's session state as the summary and the registry form read it: agenda, rounds, votes per node. */
export function readSessionForSummary(doc: Y.Doc): { agenda: SummaryStageInput[]; rounds: SummaryRoundInput[]; votes: Map<Id, number> } {
  const agenda = readAgenda(doc).stages;
  const rounds = roundsHistory(doc);
  return { agenda, rounds, votes: votesByNode(rounds) };
}

/** Sets a template's agenda as the session's, unless the board already has one; true if set. */
export function setAgendaFromTemplate(doc: Y.Doc, origin: unknown, stages: TemplateStage[]): boolean {
  const session = new SessionDoc(doc, origin);
  if (session.readAgenda().stages.length > 0) return false;
  session.setAgenda(stages.map((stage) => ({ title: stage.title, durationMs: stage.minutes * MINUTE_MS })));
  return true;
}
