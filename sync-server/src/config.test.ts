import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/clients';
import { newId } from '../../shared/ids';
import { WorkspaceFile } from '../../shared/node/store';
import { ConfigError, loadConfig } from './config';
import { silentLogger } from './logger';
import { storeFileAccess } from './workspaces';

let dir: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  dir = await makeTempDir();
});

afterAll(async () => {
  await dir.remove();
});

const longSecret = 'a-secret-of-at-least-thirty-two-bytes!!';

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('server configuration', () => {
  it('reads a JSON file, lets the environment and flags override it, and resolves paths against the file', async () => {
    const file = join(dir.path, 'server.json');
    await writeFile(file, JSON.stringify({ port: 9000, dataDir: 'store', tokenSecret: longSecret, maxTokenTtl: '7d' }));
    const config = loadConfig({ configFile: file, env: { HOST: '0.0.0.0', STRATBOARD_ADMIN_KEY: 'admin-key-0123456789' }, overrides: { port: '9100' } });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 9100, dataDir: join(dir.path, 'store'), adminKey: 'admin-key-0123456789', maxTokenTtl: 7 * 86400 });
    expect(new TextDecoder().decode(config.tokenSecretBytes!)).toBe(longSecret);
  });

  it('runs open with defaults when nothing is configured', () => {
    expect(loadConfig({ env: {} })).toMatchObject({ host: '127.0.0.1', port: 8787, dataDir: './data', tokenSecretBytes: null });
  });

  it('names each bad field in the error', async () => {
    const file = join(dir.path, 'bad.json');
    await writeFile(file, JSON.stringify({ port: 'eighty', tokenSecret: 'short', maxTokenTtl: '3 weeks', colour: 'red' }));
    const message = configError(() => loadConfig({ configFile: file, env: {} }));
    expect(message).toContain(file);
    expect(message).toMatch(/port:/);
    expect(message).toMatch(/tokenSecret: must be at least 32 bytes/);
    expect(message).toMatch(/maxTokenTtl: expected seconds or a duration/);
    expect(message).toMatch(/colour/);
  });

  it('reports an unreadable or malformed file and a bad environment variable', async () => {
    expect(configError(() => loadConfig({ configFile: join(dir.path, 'missing.json'), env: {} }))).toMatch(/missing\.json/);
    const file = join(dir.path, 'broken.json');
    await writeFile(file, '{ "port": ');
    expect(configError(() => loadConfig({ configFile: file, env: {} }))).toMatch(/broken\.json/);
    expect(configError(() => loadConfig({ env: { PORT: '70000' } }))).toMatch(/port:/);
  });

  it('reads the token secret from a file and refuses one that is too short', async () => {
    const secretFile = join(dir.path, 'secret');
    await writeFile(secretFile, `${longSecret}\n`);
    expect(new TextDecoder().decode(loadConfig({ env: { STRATBOARD_TOKEN_SECRET_FILE: secretFile } }).tokenSecretBytes!)).toBe(longSecret);
    await writeFile(secretFile, 'short\n');
    expect(configError(() => loadConfig({ env: { STRATBOARD_TOKEN_SECRET_FILE: secretFile } }))).toMatch(/tokenSecretFile/);
  });
  it('takes durability fsync by default, process from the file or STRATBOARD_DURABILITY, and refuses anything else', async () => {
    expect(loadConfig({ env: {} }).durability).toBe('fsync');
    expect(loadConfig({ env: { STRATBOARD_DURABILITY: 'process' } }).durability).toBe('process');
    const file = join(dir.path, 'durability.json');
    await writeFile(file, JSON.stringify({ durability: 'process' }));
    expect(loadConfig({ configFile: file, env: {} }).durability).toBe('process');
    expect(configError(() => loadConfig({ env: { STRATBOARD_DURABILITY: 'memory' } }))).toMatch(/durability: expected one of: fsync, process/);
  });

  it('opens the workspace files with the configured durability (PRAGMA synchronous read back)', async () => {
    for (const durability of ['fsync', 'process'] as const) {
      const store = await storeFileAccess(silentLogger, { durability }).create(join(dir.path, `${durability}.stratboard`), { workspaceId: newId(), name: durability });
      try {
        expect(store).toBeInstanceOf(WorkspaceFile);
        expect((store as WorkspaceFile).durability).toBe(durability);
      } finally {
        await store.close();
      }
    }
  });
});
