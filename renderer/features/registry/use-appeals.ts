import { createContext, useContext, useEffect, useState } from 'react';
import * as Y from 'yjs';
import { datasetDocName } from '../../../shared/docs';
import type { Host, WorkspaceRef } from '../../../shared/host';
import type { Id } from '../../../shared/ids';
import { DatasetDoc, datasetPartIds, type Appeal, type AppealLink, type Dataset, type WorkspaceIndex } from '../../../shared/model';
import { useHost } from '../../app/host-context';

/** The workspace the registry views belong to, for reading dataset docs through the Host. */
export const RegistryWorkspaceContext = createContext<WorkspaceRef | null>(null);

export function useRegistryWorkspace(): WorkspaceRef {
  const workspace = useContext(RegistryWorkspaceContext);
  if (!workspace) throw new Error('useRegistryWorkspace outside RegistryWorkspaceContext');
  return workspace;
}

// Parts already read in this window: imported rows never change, so one read serves every card.
const partCache = new Map<string, Map<Id, Appeal>>();

/** Seeds the cache with rows this window has just written (or fixed). */
export function rememberDatasetPart(workspace: WorkspaceRef, partId: Id, appeals: readonly Appeal[]): void {
  partCache.set(`${workspace.id}/${partId}`, new Map(appeals.map((appeal) => [appeal.id, appeal])));
}

/** Reads one part doc of a dataset (its whole state, then disconnects). */
export async function readDatasetPart(host: Host, workspace: WorkspaceRef, partId: Id): Promise<Map<Id, Appeal>> {
  const key = `${workspace.id}/${partId}`;
  const cached = partCache.get(key);
  if (cached) return cached;
  const doc = new Y.Doc();
  const connection = host.connectDoc(workspace, datasetDocName(partId), doc);
  try {
    await connection.whenLoaded;
    const appeals = new Map(new DatasetDoc(doc).appealList().map((appeal) => [appeal.id, appeal]));
    partCache.set(key, appeals);
    return appeals;
  } finally {
    connection.destroy();
    doc.destroy();
  }
}

/** Every appeal of a dataset, part by part, reporting progress. */
export async function readDatasetAppeals(host: Host, workspace: WorkspaceRef, dataset: Dataset, onProgress?: (done: number, total: number) => void): Promise<Appeal[]> {
  const parts = datasetPartIds(dataset);
  const appeals: Appeal[] = [];
  for (const [i, partId] of parts.entries()) {
    appeals.push(...(await readDatasetPart(host, workspace, partId)).values());
    onProgress?.(i + 1, parts.length);
  }
  return appeals;
}

export type LinkedAppeals = { status: 'loading' | 'ready'; appeals: Appeal[] };

/** Up to `limit` of a problem's appeals, read from the dataset docs they were imported into. */
export function useLinkedAppeals(index: WorkspaceIndex, links: readonly AppealLink[], limit: number): LinkedAppeals {
  const host = useHost();
  const workspace = useRegistryWorkspace();
  const [state, setState] = useState<LinkedAppeals>({ status: 'loading', appeals: [] });
  const key = JSON.stringify(links.map((link) => [link.datasetId, link.appealIds.slice(0, limit)]));

  useEffect(() => {
    let live = true;
    const wanted = JSON.parse(key) as [Id, Id[]][];
    void (async () => {
      const found: Appeal[] = [];
      for (const [datasetId, appealIds] of wanted) {
        const dataset = index.datasets.get(datasetId);
        if (!dataset) continue;
        const pending = new Set(appealIds);
        for (const partId of datasetPartIds(dataset)) {
          if (pending.size === 0 || found.length >= limit) break;
          const part = await readDatasetPart(host, workspace, partId);
          for (const id of [...pending]) {
            const appeal = part.get(id);
            if (appeal) {
              found.push(appeal);
              pending.delete(id);
            }
          }
        }
      }
      if (live) setState({ status: 'ready', appeals: found.slice(0, limit) });
    })().catch(() => live && setState({ status: 'ready', appeals: [] }));
    return () => {
      live = false;
    };
  }, [host, workspace, index, key, limit]);

  return state;
}
