export type WorkspaceFileErrorCode =
  | 'not-found'
  | 'not-a-workspace'
  | 'damaged'
  | 'newer-schema'
  | 'already-exists'
  /** Another process (or another WorkspaceFile in this one) has the file open. */
  | 'in-use'
  | 'io';

export class WorkspaceFileError extends Error {
  override readonly name = 'WorkspaceFileError';
  readonly code: WorkspaceFileErrorCode;
  readonly path: string;
  readonly doc: string | undefined;

  constructor(
    code: WorkspaceFileErrorCode,
    path: string,
    detail: string,
    options: { doc?: string; cause?: unknown } = {},
  ) {
    const where = options.doc === undefined ? path : `${path} (doc ${options.doc})`;
    super(`${code}: ${where}: ${detail}`, { cause: options.cause });
    this.code = code;
    this.path = path;
    this.doc = options.doc;
  }
}

/** Maps an error thrown by better-sqlite3 or node:fs to a WorkspaceFileError, keeping it as the cause. */
export function toWorkspaceFileError(
  error: unknown,
  path: string,
  options: { doc?: string; during: string },
): WorkspaceFileError {
  if (error instanceof WorkspaceFileError) return error;
  const code = typeof error === 'object' && error !== null ? String((error as { code?: unknown }).code ?? '') : '';
  const message = error instanceof Error ? error.message : String(error);
  const detail = `${options.during} failed: ${message}${code ? ` (${code})` : ''}`;
  const context = { doc: options.doc, cause: error };
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return new WorkspaceFileError('damaged', path, detail, context);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new WorkspaceFileError('in-use', path, detail, context);
  if (code === 'ENOENT') return new WorkspaceFileError('not-found', path, detail, context);
  return new WorkspaceFileError('io', path, detail, context);
}
