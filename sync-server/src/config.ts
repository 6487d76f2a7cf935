import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { durabilities } from '../../shared/node/store';
import { MIN_SECRET_BYTES, parseDuration } from './auth';
import { defaultLimits } from './limits';
import { logLevels } from './logger';

// The server's configuration: a JSON file (--config or STRATBOARD_CONFIG), then
// environment variables, then command-line flags, each overriding the one before.

const duration = z.union([z.number(), z.string()], { error: 'expected seconds or a duration like 90s, 15m, 8h or 30d' }).transform((value, context) => {
  const seconds = typeof value === 'number' ? (Number.isSafeInteger(value) && value > 0 ? value : null) : parseDuration(value);
  if (seconds === null) {
    context.addIssue({ code: 'custom', message: 'expected seconds or a duration like 90s, 15m, 8h or 30d' });
    return z.NEVER;
  }
  return seconds;
});

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((value) => value === true || value === 'true' || value === '1');

const limitsSchema = z
  .object({
    maxMessageBytes: positiveInt.default(defaultLimits.maxMessageBytes),
    messagesPerSecond: positiveInt.default(defaultLimits.messagesPerSecond),
    messageBurst: positiveInt.default(defaultLimits.messageBurst),
    bytesPerSecond: positiveInt.default(defaultLimits.bytesPerSecond),
    byteBurst: positiveInt.default(defaultLimits.byteBurst),
    connectionsPerIp: positiveInt.default(defaultLimits.connectionsPerIp),
    maxDocBytes: positiveInt.default(defaultLimits.maxDocBytes),
    sendBufferBytes: positiveInt.default(defaultLimits.sendBufferBytes),
  })
  .strict()
  .refine((limits) => limits.byteBurst >= limits.maxMessageBytes, {
    message: 'must be at least maxMessageBytes, or the largest allowed message could never pass',
    path: ['byteBurst'],
  });
const secretText = z.string().refine((text) => new TextEncoder().encode(text).length >= MIN_SECRET_BYTES, {
  message: `must be at least ${MIN_SECRET_BYTES} bytes (e.g. openssl rand -base64 48)`,
});

export const configSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: port.default(8787),
    /** Folder of workspace files (and the revocations file). */
    dataDir: z.string().min(1).default('./data'),
    /** The built browser edition; `out/web` of the repository by default. */
    staticDir: z.string().min(1).optional(),
    /** HS256 key for access tokens. Without it (and tokenSecretFile) the server runs open. */
    tokenSecret: secretText.optional(),
    /** A file holding the token secret (trailing whitespace ignored). */
    tokenSecretFile: z.string().min(1).optional(),
    /** Authorises the admin API. */
    adminKey: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Longest lifetime of a token issued through the API, e.g. "30d". */
    maxTokenTtl: duration.default(90 * 86400),
    /** pino level. */
    logLevel: z.enum(logLevels).default('info'),
    /** Ping interval; under the stock client's 30 s watchdog. */
    keepAliveMs: z.coerce.number().int().min(1000).max(25_000).default(15_000),
    /**
     * What an acknowledged update survives: `fsync` (SQLite synchronous=FULL) a power
     * loss; `process` (synchronous=NORMAL) a crash of the server, but the last commits
     * may be lost on a power loss or OS crash. See docs/sync-server.md.
     */
    durability: z.enum(durabilities, { error: `expected one of: ${durabilities.join(', ')}` }).default('fsync'),
    /** How long a room without connections stays in memory. */
    idleRoomUnloadMs: z.coerce.number().int().min(0).default(60_000),
    /** Behind a reverse proxy: take the client address from X-Forwarded-For (for connectionsPerIp). */
    trustProxy: flag.default(false),
    /** GET /metrics then needs `Authorization: Bearer <metricsToken>`. */
    metricsToken: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Serve /metrics on its own listener (metricsHost, default 127.0.0.1) instead of the main one. */
    metricsPort: port.optional(),
    metricsHost: z.string().min(1).optional(),
    limits: limitsSchema.default(() => ({ ...defaultLimits })),
  })
  .strict()
  .refine((config) => !(config.tokenSecret && config.tokenSecretFile), {
    message: 'set tokenSecret or tokenSecretFile, not both',
    path: ['tokenSecretFile'],
  });

export type ServerConfig = z.output<typeof configSchema>;

/** Environment variables and the config field each one sets. */
export const environmentVariables = {
  HOST: 'host',
  PORT: 'port',
  STRATBOARD_DATA: 'dataDir',
  STRATBOARD_STATIC: 'staticDir',
  STRATBOARD_TOKEN_SECRET: 'tokenSecret',
  STRATBOARD_TOKEN_SECRET_FILE: 'tokenSecretFile',
  STRATBOARD_ADMIN_KEY: 'adminKey',
  STRATBOARD_MAX_TOKEN_TTL: 'maxTokenTtl',
  STRATBOARD_LOG_LEVEL: 'logLevel',
  STRATBOARD_DURABILITY: 'durability',
  STRATBOARD_TRUST_PROXY: 'trustProxy',
  STRATBOARD_METRICS_TOKEN: 'metricsToken',
  STRATBOARD_METRICS_PORT: 'metricsPort',
  STRATBOARD_METRICS_HOST: 'metricsHost',
} as const satisfies Record<string, keyof ServerConfig>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads and validates the configuration. Relative paths in the file are relative to
 * the file; those from the environment or flags to the working directory.
 */
export function loadConfig(input: {
  configFile?: string | undefined;
  env?: NodeJS.ProcessEnv;
  overrides?: Partial<Record<keyof ServerConfig, string | undefined>>;
}): ServerConfig & { tokenSecretBytes: Uint8Array | null } {
  const env = input.env ?? process.env;
  const configFile = input.configFile ?? env.STRATBOARD_CONFIG;
  const raw: Record<string, unknown> = {};
  if (configFile) {
    const file = resolve(configFile);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`config file ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError(`config file ${file}: expected a JSON object`);
    }
    Object.assign(raw, parsed);
    for (const key of ['dataDir', 'staticDir', 'tokenSecretFile'] as const) {
      if (typeof raw[key] === 'string') raw[key] = resolve(dirname(file), raw[key]);
    }
  }
  for (const [variable, field] of Object.entries(environmentVariables)) {
    const value = env[variable];
    if (value !== undefined && value !== '') raw[field] = value;
  }
  for (const [field, value] of Object.entries(input.overrides ?? {})) {
    if (value !== undefined) raw[field] = value;
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(config)'}: ${issue.message}`);
    throw new ConfigError(`invalid configuration${configFile ? ` (${resolve(configFile)})` : ''}:\n${problems.join('\n')}`);
  }
  const config = result.data;
  let tokenSecretBytes: Uint8Array | null = config.tokenSecret ? new TextEncoder().encode(config.tokenSecret) : null;
  if (config.tokenSecretFile) {
    let text: string;
    try {
      text = readFileSync(config.tokenSecretFile, 'utf8').trimEnd();
    } catch (error) {
      throw new ConfigError(`tokenSecretFile: ${error instanceof Error ? error.message : String(error)}`);
    }
    tokenSecretBytes = new TextEncoder().encode(text);
    if (tokenSecretBytes.length < MIN_SECRET_BYTES) {
      throw new ConfigError(`tokenSecretFile: the secret in ${config.tokenSecretFile} must be at least ${MIN_SECRET_BYTES} bytes`);
    }
  }
  return { ...config, tokenSecretBytes };
}
