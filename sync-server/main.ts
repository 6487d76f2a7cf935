import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeJwt } from 'jose';
import { isId } from '../shared/ids';
import { isRole, roles } from '../shared/roles';
import { createAuth, parseDuration, Revocations } from './src/auth';
import { ConfigError, loadConfig, type ServerConfig } from './src/config';
import { createLogger } from './src/logger';
import { connectScaleOut, scaleOutSettingsFromEnv } from './src/scale-out';
import { startSyncServer } from './src/server';

// stratboard-server [serve] [--config file] [--port n] [--host h] [--data dir] [--static dir]
// stratboard-server token --workspace <id> --role <facilitator|editor|viewer> --ttl <8h> [--name <who>]
// stratboard-server revoke <tokenId | token>
// Run as `node --import tsx sync-server/main.ts …`, `npm run server -- …` or the `stratboard-server` bin.
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const usage = `Usage:
  stratboard-server [serve] [--config <file>] [--port <n>] [--host <addr>] [--data <dir>] [--static <dir>]
  stratboard-server token --workspace <id> --role <${roles.join('|')}> --ttl <e.g. 8h> [--name <who>] [--config <file>]
  stratboard-server revoke <tokenId|token> [--config <file>]`;

function fail(message: string, exitCode = 2): never {
  console.error(message);
  process.exit(exitCode);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    config: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    static: { type: 'string' },
    workspace: { type: 'string' },
    role: { type: 'string' },
    ttl: { type: 'string' },
    name: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const [command = 'serve', ...rest] = positionals;

let config: ServerConfig & { tokenSecretBytes: Uint8Array | null };
try {
  config = loadConfig({
    configFile: values.config,
    overrides: { port: values.port, host: values.host, dataDir: values.data, staticDir: values.static },
  });
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
const dataDir = resolve(config.dataDir);
const revocationsFile = join(dataDir, 'revoked-tokens.json');

function cliAuth() {
  if (!config.tokenSecretBytes) fail('No token secret configured: set STRATBOARD_TOKEN_SECRET or tokenSecret / tokenSecretFile in the config file.');
  mkdirSync(dataDir, { recursive: true });
  return createAuth({ secret: config.tokenSecretBytes, revocations: new Revocations(revocationsFile), maxTtlSeconds: config.maxTokenTtl });
}

switch (command) {
  case 'serve':
    await serve();
    break;
  case 'token': {
    const { workspace, role, ttl, name } = values;
    if (!workspace || !isId(workspace)) fail(`--workspace must be a workspace id (16 letters and digits)\n${usage}`);
    if (!isRole(role)) fail(`--role must be one of ${roles.join(', ')}\n${usage}`);
    const ttlSeconds = ttl ? parseDuration(ttl) : null;
    if (ttlSeconds === null) fail(`--ttl must be a duration like 90s, 15m, 8h or 30d\n${usage}`);
    const auth = cliAuth();
    if (ttlSeconds > auth.maxTtlSeconds) fail(`--ttl is longer than maxTokenTtl (${auth.maxTtlSeconds} s)`);
    const issued = await auth.issue({ workspaceId: workspace, role, ttlSeconds, ...(name ? { name } : {}) });
    console.log(issued.token);
    console.error(`token id ${issued.tokenId}, expires ${new Date(issued.expiresAt * 1000).toISOString()}`);
    break;
  }
  case 'revoke': {
    const [target] = rest;
    if (!target) fail(`revoke needs a token id or a token\n${usage}`);
    const auth = cliAuth();
    let tokenId = target;
    let expiresAt: number | undefined;
    if (target.split('.').length === 3) {
      const verified = await auth.verify(target);
      if (!verified.ok && verified.reason !== 'revoked' && verified.reason !== 'expired') fail(`not a token of this server: ${verified.reason}`);
      const claims = decodeJwt(target);
      if (typeof claims.jti !== 'string') fail('the token has no id (jti)');
      tokenId = claims.jti;
      expiresAt = claims.exp;
    }
    await auth.revoke(tokenId, expiresAt);
    console.log(`revoked ${tokenId}; a running server closes its connections within a few seconds`);
    break;
  }
  default:
    fail(`Unknown command: ${command}\n${usage}`);
}

async function serve(): Promise<void> {
  const staticDir = config.staticDir ? resolve(config.staticDir) : resolve(repoRoot, 'out/web');
  mkdirSync(dataDir, { recursive: true });
  const logger = createLogger(config.logLevel);
  let scaleOut;
  try {
    // DATABASE_URL / REDIS_URL; neither: the SQLite files in dataDir.
    scaleOut = await connectScaleOut(scaleOutSettingsFromEnv(process.env), logger);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const server = await startSyncServer({
    host: config.host,
    port: config.port,
    dataDir,
    staticDir,
    logger,
    limits: config.limits,
    keepAliveMs: config.keepAliveMs,
    idleRoomUnloadMs: config.idleRoomUnloadMs,
    durability: config.durability,
    trustProxy: config.trustProxy,
    ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
    ...(config.metricsPort !== undefined ? { metricsPort: config.metricsPort, metricsHost: config.metricsHost ?? '127.0.0.1' } : {}),
    ...(config.tokenSecretBytes ? { auth: { secret: config.tokenSecretBytes, revocationsFile, maxTtlSeconds: config.maxTokenTtl } } : {}),
    ...(config.adminKey ? { adminKey: config.adminKey } : {}),
    ...scaleOut,
  });
  console.log(`Stratboard server: ${server.url}/`);
  logger.info({ url: server.url, metrics: server.metricsUrl, dataDir, staticDir, auth: server.auth !== null }, 'serving');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal means the operator does not want to wait.
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
