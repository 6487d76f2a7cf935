export { WorkspaceFileError, type WorkspaceFileErrorCode } from './errors';
export { APPLICATION_ID, STORE_SCHEMA_VERSION } from './schema';
export { DEFAULT_AUTO_COMPACT_AFTER, durabilities, WorkspaceFile, type Durability, type WorkspaceFileOptions } from './workspace-file';
