/** PRAGMA application_id of every workspace file: 'STRB'. */
export const APPLICATION_ID = 0x53545242;

/** PRAGMA user_version: the store schema this code writes and reads. */
export const STORE_SCHEMA_VERSION = 1;

// Updates are keyed (doc, seq) so one doc's updates sit together and load or fold
// as one range scan. seq is per doc and never reused: a snapshot folds seq <= upto.
export const SCHEMA_SQL = `
  CREATE TABLE meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE updates (
    doc TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (doc, seq)
  ) WITHOUT ROWID;
  CREATE TABLE snapshots (
    doc TEXT PRIMARY KEY NOT NULL,
    data BLOB NOT NULL,
    upto INTEGER NOT NULL
  );
`;

export const TABLES = ['meta', 'updates', 'snapshots'] as const;
