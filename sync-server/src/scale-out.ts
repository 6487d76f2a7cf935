import type { RoomBackends } from './backend';
import type { Logger } from './logger';
import { PgWorkspaces } from './pg-store';
import { RedisRoomBackends } from './redis-backend';
import type { WorkspaceFileAccess } from './workspaces';

/** What startSyncServer takes to run on PostgreSQL and/or Redis instead of the SQLite files alone. */
export interface ScaleOut {
  workspaceFiles?: WorkspaceFileAccess;
  roomBackends?: RoomBackends;
}

export class ScaleOutConfigError extends Error {
  override readonly name = 'ScaleOutConfigError';
}

export interface ScaleOutSettings {
  /** postgres://… : workspaces, updates and snapshots in PostgreSQL. */
  databaseUrl?: string | undefined;
  /** redis://… : several server processes serve the same rooms through Redis Streams (needs databaseUrl). */
  redisUrl?: string | undefined;
  /** Redis mode: compact a room after this many stream entries; PostgreSQL single-node: after this many updates. */
  compactEvery?: number | undefined;
  /** Redis mode: stream entries younger than this survive a compaction's trim. */
  trimGraceMs?: number | undefined;
  instanceId?: string | undefined;
}

/** Reads DATABASE_URL, REDIS_URL, STRATBOARD_COMPACT_EVERY, STRATBOARD_TRIM_GRACE_MS and STRATBOARD_INSTANCE_ID. */
export function scaleOutSettingsFromEnv(env: NodeJS.ProcessEnv): ScaleOutSettings {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    compactEvery: positiveInteger(env, 'STRATBOARD_COMPACT_EVERY'),
    trimGraceMs: nonNegativeInteger(env, 'STRATBOARD_TRIM_GRACE_MS'),
    instanceId: env.STRATBOARD_INSTANCE_ID || undefined,
  };
}

/**
 * Connects what the settings name (checking both answer) or returns {} for the
 * embedded default. Redis without PostgreSQL is refused: instances must share the
 * snapshots the stream is trimmed against, and a SQLite file is held by one process.
 */
export async function connectScaleOut(settings: ScaleOutSettings, logger: Logger): Promise<ScaleOut> {
  if (settings.redisUrl && !settings.databaseUrl) {
    throw new ScaleOutConfigError(
      'REDIS_URL needs DATABASE_URL: server instances sharing rooms keep their snapshots in PostgreSQL (a SQLite file is held by one process)',
    );
  }
  if (!settings.databaseUrl) return {};
  let workspaceFiles: PgWorkspaces;
  try {
    workspaceFiles = await PgWorkspaces.connect(settings.databaseUrl, {
      logger,
      ...(settings.compactEvery ? { compactAfter: settings.compactEvery } : {}),
    });
  } catch (error) {
    throw new ScaleOutConfigError(`DATABASE_URL: cannot use PostgreSQL: ${(error as Error).message}`, { cause: error });
  }
  if (!settings.redisUrl) return { workspaceFiles };
  const roomBackends = new RedisRoomBackends({
    url: settings.redisUrl,
    logger,
    ...(settings.instanceId ? { instanceId: settings.instanceId } : {}),
    ...(settings.compactEvery ? { compactEvery: settings.compactEvery } : {}),
    ...(settings.trimGraceMs !== undefined ? { trimGraceMs: settings.trimGraceMs } : {}),
  });
  try {
    await withTimeout(roomBackends.ping(), 10_000);
  } catch (error) {
    await roomBackends.close();
    await workspaceFiles.close();
    throw new ScaleOutConfigError(`REDIS_URL: cannot reach Redis: ${(error as Error).message}`, { cause: error });
  }
  logger.info({ instanceId: roomBackends.instanceId }, 'scale-out on Redis Streams with PostgreSQL snapshots');
  return { workspaceFiles, roomBackends };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = nonNegativeInteger(env, name);
  if (value === 0) throw new ScaleOutConfigError(`${name} must be a positive integer, got 0`);
  return value;
}

function nonNegativeInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new ScaleOutConfigError(`${name} must be a whole number, got "${text}"`);
  return value;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
