import type { AppealTable, ColumnMapping, ImportReport } from '../../../shared/import';
import type { Appeal, ProblemCategory, Territory } from '../../../shared/model';

export type ImportWorkerRequest =
  | { type: 'read'; bytes: ArrayBuffer }
  | { type: 'import'; mapping: ColumnMapping; territories: Territory[]; categories: ProblemCategory[] };

export type ImportWorkerResponse =
  | {
      type: 'table';
      headers: string[];
      preview: string[][];
      rowCount: number;
      format: AppealTable['format'];
      encoding?: AppealTable['encoding'];
      delimiter?: AppealTable['delimiter'];
      mapping: ColumnMapping;
    }
  | { type: 'progress'; done: number; total: number }
  | { type: 'imported'; appeals: Appeal[]; report: ImportReport }
  | { type: 'error'; code: string; params: Record<string, string | number> };

/** A worker session for one file: read it, then import it with the chosen mapping. */
export class ImportWorker {
  private readonly worker = new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module' });
  private listener: ((message: ImportWorkerResponse) => void) | null = null;

  constructor() {
    this.worker.onmessage = (event: MessageEvent<ImportWorkerResponse>) => this.listener?.(event.data);
    this.worker.onerror = (event) => this.listener?.({ type: 'error', code: 'worker', params: { detail: event.message } });
  }

  private request<T extends ImportWorkerResponse['type']>(
    message: ImportWorkerRequest,
    expect: T,
    onProgress?: (done: number, total: number) => void,
    transfer: Transferable[] = [],
  ): Promise<Extract<ImportWorkerResponse, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.listener = (response) => {
        if (response.type === 'progress') onProgress?.(response.done, response.total);
        else if (response.type === 'error') reject(new ImportFailure(response.code, response.params));
        else if (response.type === expect) resolve(response as Extract<ImportWorkerResponse, { type: T }>);
      };
      this.worker.postMessage(message, transfer);
    });
  }

  read(bytes: ArrayBuffer) {
    return this.request({ type: 'read', bytes }, 'table', undefined, [bytes]);
  }

  import(mapping: ColumnMapping, territories: Territory[], categories: ProblemCategory[], onProgress: (done: number, total: number) => void) {
    return this.request({ type: 'import', mapping, territories, categories }, 'imported', onProgress);
  }

  terminate(): void {
    this.worker.terminate();
  }
}

/** A file the import can't use, with the code the UI translates (`registry.importError.<code>`). */
export class ImportFailure extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number>,
  ) {
    super(`import failed: ${code}`);
  }
}
