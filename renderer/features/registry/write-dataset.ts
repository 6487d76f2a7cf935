import * as Y from 'yjs';
import { datasetDocName } from '../../../shared/docs';
import type { DocConnection, Host, WorkspaceRef } from '../../../shared/host';
import { newId, type Id } from '../../../shared/ids';
import { DatasetDoc, initDocMeta, MIGRATION_ORIGIN, ProblemRegistry, splitIntoParts, type Appeal, type Dataset, type WorkspaceIndex } from '../../../shared/model';
import { rememberDatasetPart } from './use-appeals';

// Part docs written in this window stay connected until the window closes: the provider
// keeps sending until the server has acknowledged every row, whatever the network does.
const openParts = new Map<Id, { doc: Y.Doc; connection: DocConnection; appealIds: Set<Id> }>();

const yieldToUi = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Writes imported appeals into new dataset part docs (each fits one sync message), then
 * records the dataset in the index. Rows go in chunks so the window stays responsive.
 */
export async function writeDataset(
  host: Host,
  workspace: WorkspaceRef,
  index: WorkspaceIndex,
  input: { title: string; sourceFileName: string; appeals: Appeal[] },
  onProgress: (written: number, total: number) => void,
): Promise<Dataset> {
  const parts = splitIntoParts(input.appeals);
  const partIds: Id[] = [];
  let written = 0;
  for (const rows of parts) {
    const partId = newId();
    const doc = new Y.Doc();
    const connection = host.connectDoc(workspace, datasetDocName(partId), doc);
    await connection.whenLoaded;
    initDocMeta(doc, 'dataset', MIGRATION_ORIGIN);
    const base = written;
    await new DatasetDoc(doc).appendAppeals(rows, { onProgress: (done) => onProgress(base + done, input.appeals.length), between: yieldToUi });
    written += rows.length;
    openParts.set(partId, { doc, connection, appealIds: new Set(rows.map((row) => row.id)) });
    rememberDatasetPart(workspace, partId, rows);
    partIds.push(partId);
  }
  return new ProblemRegistry(index).addDataset({ title: input.title, rowCount: input.appeals.length, partIds, sourceFileName: input.sourceFileName });
}

/** Sets the territory of imported appeals (the user resolved an unknown name), in the part docs that hold them. */
export function fixAppealTerritory(workspace: WorkspaceRef, appealIds: readonly Id[], territoryId: Id): void {
  for (const [partId, part] of openParts) {
    const ids = appealIds.filter((id) => part.appealIds.has(id));
    if (ids.length === 0) continue;
    new DatasetDoc(part.doc).setTerritory(ids, territoryId);
    rememberDatasetPart(workspace, partId, new DatasetDoc(part.doc).appealList());
  }
}
