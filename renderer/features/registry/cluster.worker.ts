import { clusterAppeals } from '../../../shared/cluster';
import type { ClusterRequest, ClusterResponse } from './cluster-protocol';

// Grouping 20,000 appeals takes seconds of CPU: off the UI thread, with progress.
self.onmessage = (event: MessageEvent<ClusterRequest>) => {
  const { datasetId, appeals, threshold, groupByCategory } = event.data;
  try {
    let last = 0;
    const candidates = clusterAppeals(
      appeals.map((appeal) => ({ ...appeal, datasetId })),
      {
        threshold,
        groupByCategory,
        onProgress: (done, total, phase) => {
          // prepare 0–40 %, group 40–90 %, describe 90–100 %
          const [from, span] = phase === 'prepare' ? [0, 40] : phase === 'group' ? [40, 50] : [90, 10];
          const percent = Math.floor(from + (span * done) / Math.max(1, total));
          if (percent !== last) {
            last = percent;
            self.postMessage({ type: 'progress', done: percent, total: 100 } satisfies ClusterResponse);
          }
        },
      },
    );
    self.postMessage({ type: 'done', candidates } satisfies ClusterResponse);
  } catch (error) {
    self.postMessage({ type: 'error', message: String(error) } satisfies ClusterResponse);
  }
};
