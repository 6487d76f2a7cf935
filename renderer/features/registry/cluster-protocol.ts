import type { CandidateProblem } from '../../../shared/cluster/candidate';
import type { Id } from '../../../shared/ids';
import type { Appeal } from '../../../shared/model';

export interface ClusterRequest {
  datasetId: Id;
  appeals: Appeal[];
  threshold: number;
  groupByCategory: boolean;
}

export type ClusterResponse =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; candidates: CandidateProblem[] }
  | { type: 'error'; message: string };

/** Groups appeals into candidate problems in a worker of its own (a fresh one per run, so a new run cancels the old). */
export function runClustering(request: ClusterRequest, onProgress: (done: number, total: number) => void): Promise<CandidateProblem[]> {
  const worker = new Worker(new URL('./cluster.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<CandidateProblem[]>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<ClusterResponse>) => {
      const message = event.data;
      if (message.type === 'progress') return onProgress(message.done, message.total);
      worker.terminate();
      if (message.type === 'done') resolve(message.candidates);
      else reject(new Error(message.message));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || 'cluster worker failed'));
    };
    worker.postMessage(request);
  });
}
