export { WorkspaceFileError, type WorkspaceFileErrorCode } from './errors';
export { APPLICATION_ID, STORE_SCHEMA_VERSION } from './schema';
export { DEFAULT_AUTO_COMPACT_AFTER, WorkspaceFile, type WorkspaceFileOptions } from './workspace-file';
