/**
 * Why a whole file can't be imported. The UI translates `registry.importError.<code>`
 * with `params`; nothing is written when one of these is thrown.
 */
export const appealImportErrorCodes = [
  'empty-file',
  'binary-file',
  'old-excel-format',
  'unreadable-xlsx',
  'no-data-rows',
  'no-text-column',
] as const;
export type AppealImportErrorCode = (typeof appealImportErrorCodes)[number];

export class AppealImportError extends Error {
  constructor(
    readonly code: AppealImportErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`Appeal import: ${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`);
    this.name = 'AppealImportError';
  }
}
