import { basename, join } from 'node:path';
import type * as Y from 'yjs';
import type { Id } from '../../shared/ids';
import type { NewWorkspaceContent } from '../../shared/model/workspace';
import { WorkspaceFile, WorkspaceFileError, type Durability } from '../../shared/node/store';
import type { BackendMetrics } from './backend';
import type { Logger } from './logger';

/** The part of the document store's WorkspaceFile that the server uses. */
export interface WorkspaceStore {
  readonly workspaceId: string;
  readonly name: string;
  loadDoc(docName: string, doc: Y.Doc): void | Promise<void>;
  encodeDocState(docName: string): Uint8Array | Promise<Uint8Array>;
  /** Resolves once the update is durably committed. */
  appendUpdate(docName: string, update: Uint8Array): Promise<void>;
  /** Commits at once and returns true if the store is idle, else false (see WorkspaceFile). Optional. */
  commitUpdateIfIdle?(docName: string, update: Uint8Array): boolean;
  flush(): void | Promise<void>;
  close(): void | Promise<void>;
}

/**
 * How workspaces are opened and created: SQLite files by default, PostgreSQL rows when
 * configured (keyed by the workspace id in the file name, see workspaceIdOfPath);
 * tests wrap it to make the store fail. Opening a workspace that does not exist throws
 * a WorkspaceFileError 'not-found'.
 */
export interface WorkspaceFileAccess {
  open(path: string): WorkspaceStore | Promise<WorkspaceStore>;
  create(path: string, meta: { workspaceId: Id; name: string }): WorkspaceStore | Promise<WorkspaceStore>;
  /** Releases what the access itself holds (a connection pool), after every store closed. */
  close?(): Promise<void>;
  /** Called once by the server with its metrics. */
  attachMetrics?(metrics: BackendMetrics): void;
}

/**
 * The document store, reporting its background failures (compaction, WAL syncs) to the
 * log and their times to `onCompacted` / `onWalSynced`; files open with `durability`
 * (`fsync` by default).
 */
export function storeFileAccess(
  logger: Logger,
  settings: {
    onCompacted?: (docName: string, durationMs: number) => void;
    onWalSynced?: (durationMs: number) => void;
    durability?: Durability;
  } = {},
): WorkspaceFileAccess {
  const { onCompacted, onWalSynced, durability = 'fsync' } = settings;
  const options = {
    durability,
    onBackgroundError: (error: WorkspaceFileError) =>
      logger.error({ path: error.path, docName: error.doc, err: error }, 'workspace file background work failed'),
    ...(onCompacted ? { onCompacted } : {}),
    ...(onWalSynced ? { onWalSynced } : {}),
  };
  return {
    open: (path) => WorkspaceFile.open(path, options),
    create: (path, meta) => WorkspaceFile.create(path, meta, options),
  };
}

const FILE_SUFFIX = '.stratboard';

/** The workspace id a path from WorkspaceFiles.pathOf names. */
export function workspaceIdOfPath(path: string): string {
  return basename(path, FILE_SUFFIX);
}

export function isWorkspaceFileError(error: unknown): error is WorkspaceFileError {
  return error instanceof WorkspaceFileError;
}

/**
 * The workspace files under the data directory, one `<workspaceId>.stratboard` each,
 * opened once and kept open until the server closes.
 */
export class WorkspaceFiles {
  private readonly opened = new Map<Id, Promise<WorkspaceStore>>();

  constructor(
    private readonly dataDir: string,
    private readonly access: WorkspaceFileAccess,
  ) {}

  pathOf(workspaceId: Id): string {
    return join(this.dataDir, `${workspaceId}${FILE_SUFFIX}`);
  }

  /** The open workspace, or null when it has no file. Other store errors are thrown. */
  async get(workspaceId: Id): Promise<WorkspaceStore | null> {
    let opening = this.opened.get(workspaceId);
    if (!opening) {
      opening = Promise.resolve().then(() => this.access.open(this.pathOf(workspaceId)));
      this.opened.set(workspaceId, opening);
      // A failed open is not cached, so a file that appears (or is repaired) later opens.
      opening.catch(() => this.opened.delete(workspaceId));
    }
    try {
      return await opening;
    } catch (error) {
      if (isWorkspaceFileError(error) && error.code === 'not-found') return null;
      throw error;
    }
  }

  async create(content: Pick<NewWorkspaceContent, 'workspaceId' | 'name' | 'docs'>): Promise<WorkspaceStore> {
    const { workspaceId, name } = content;
    const creating = Promise.resolve().then(async () => {
      const store = await this.access.create(this.pathOf(workspaceId), { workspaceId, name });
      try {
        for (const { docName, update } of content.docs) await store.appendUpdate(docName, update);
      } catch (error) {
        await store.close();
        throw error;
      }
      return store;
    });
    this.opened.set(workspaceId, creating);
    creating.catch(() => this.opened.delete(workspaceId));
    return creating;
  }

  async closeAll(): Promise<void> {
    const opening = [...this.opened.values()];
    this.opened.clear();
    const results = await Promise.allSettled(
      opening.map(async (open) => {
        const store = await open.catch(() => null);
        if (!store) return;
        try {
          await store.flush();
        } finally {
          await store.close();
        }
      }),
    );
    if (this.access.close) {
      results.push(...(await Promise.allSettled([this.access.close()])));
    }
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
