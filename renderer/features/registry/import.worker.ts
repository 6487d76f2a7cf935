import { AppealImportError, guessMapping, importAppeals, previewRows, readAppealTable, type AppealTable } from '../../../shared/import';
import type { ImportWorkerRequest, ImportWorkerResponse } from './import-protocol';

// Reads and parses the file off the UI thread: a 100,000-row CSV or an XLSX (exceljs)
// would otherwise freeze the window for seconds. The parsed table stays here between
// the mapping step and the import.
let table: AppealTable | null = null;

function post(message: ImportWorkerResponse) {
  self.postMessage(message);
}

function failure(error: unknown): ImportWorkerResponse {
  if (error instanceof AppealImportError) return { type: 'error', code: error.code, params: error.params };
  return { type: 'error', code: 'internal', params: { detail: String(error).slice(0, 300) } };
}

self.onmessage = async (event: MessageEvent<ImportWorkerRequest>) => {
  const message = event.data;
  try {
    if (message.type === 'read') {
      table = await readAppealTable(new Uint8Array(message.bytes));
      post({
        type: 'table',
        headers: table.headers,
        preview: previewRows(table, 8),
        rowCount: table.rows.length,
        format: table.format,
        encoding: table.encoding,
        delimiter: table.delimiter,
        mapping: guessMapping(table.headers),
      });
    } else if (message.type === 'import') {
      if (!table) throw new Error('no table read');
      const result = importAppeals(table, message.mapping, {
        territories: message.territories,
        categories: message.categories,
        onProgress: (done, total) => post({ type: 'progress', done, total }),
      });
      post({ type: 'imported', appeals: result.appeals, report: result.report });
    }
  } catch (error) {
    post(failure(error));
  }
};
