import type * as Y from 'yjs';
import {
  buildSessionSummary,
  renderSummaryDocx,
  renderSummaryPdf,
  type SummaryRoundInput,
  type SummaryStageInput,
} from '../../../shared/export/session-summary';
import { safeFileName, type ExportKind, type Host, type Locale } from '../../../shared/host';
import type { Id } from '../../../shared/ids';
import { BoardDoc, type WorkspaceIndex } from '../../../shared/model';
import { loadSummaryFonts } from './summary-fonts';

export interface SummaryRequest {
  host: Host;
  doc: Y.Doc;
  index: WorkspaceIndex;
  boardId: Id;
  kind: ExportKind;
  locale: Locale;
  /** The file name without extension, already translated. */
  fileName: string;
  presentNames: string[];
  /** The session's agenda and voting rounds, when the board has them. */
  agenda: SummaryStageInput[];
  rounds: SummaryRoundInput[];
}

/** Builds the summary of the board, renders it and hands it to the host; the saved file's name, or null if cancelled. */
export async function exportSessionSummary(request: SummaryRequest): Promise<string | null> {
  const board = new BoardDoc(request.doc);
  const record = request.index.boards.get(request.boardId);
  const summary = buildSessionSummary({
    boardId: request.boardId,
    boardTitle: record?.title ?? '',
    workspaceName: request.index.name,
    nodes: board.nodes.list(),
    edges: board.edges.list(),
    problems: request.index.problems.list(),
    projects: request.index.projects.list(),
    agenda: request.agenda,
    rounds: request.rounds,
    presentNames: request.presentNames,
    generatedAt: new Date(),
  });
  const fonts = await loadSummaryFonts();
  const bytes =
    request.kind === 'docx' ? await renderSummaryDocx(summary, fonts, request.locale) : await renderSummaryPdf(summary, fonts, request.locale);
  const name = safeFileName(request.fileName, request.kind);
  return (await request.host.saveFile({ name, kind: request.kind, bytes })) ? name : null;
}
