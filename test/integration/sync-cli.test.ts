import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { createAuth, Revocations } from '../../sync-server/src/auth';
import { makeTempDir } from '../../sync-server/test-support/clients';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const secret = 'cli test secret that is long enough for HS256';

let dir: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  dir = await makeTempDir();
});

afterAll(async () => {
  await dir.remove();
});

/** Runs the `stratboard-server` command as an operator would. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['sync-server/bin/stratboard-server.mjs', ...args],
      { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('stratboard-server command', () => {
  it('issues a token the server accepts, and revokes it into the data directory’s revocations file', async () => {
    const workspaceId = newId();
    const env = { STRATBOARD_TOKEN_SECRET: secret, STRATBOARD_DATA: dir.path };
    const issued = await cli(['token', '--workspace', workspaceId, '--role', 'viewer', '--ttl', '8h', '--name', 'Зал'], env);
    expect(issued.code).toBe(0);
    const token = issued.stdout.trim();
    const auth = createAuth({ secret: new TextEncoder().encode(secret) });
    const verified = await auth.verify(token);
    expect(verified.ok && verified.grant).toMatchObject({ workspaceId, role: 'viewer', name: 'Зал' });
    if (!verified.ok) return;
    expect(verified.grant.expiresAt - verified.grant.issuedAt).toBe(8 * 3600);

    const revoked = await cli(['revoke', token], env);
    expect(revoked.code).toBe(0);
    const revocations = new Revocations(join(dir.path, 'revoked-tokens.json'));
    await revocations.load();
    expect(revocations.has(verified.grant.tokenId)).toBe(true);
  }, 120_000);

  it('refuses bad arguments and a bad config with exit code 2 and names the problem', async () => {
    const noSecret = await cli(['token', '--workspace', newId(), '--role', 'editor', '--ttl', '1h'], { STRATBOARD_DATA: dir.path });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/STRATBOARD_TOKEN_SECRET/);

    const badRole = await cli(['token', '--workspace', newId(), '--role', 'owner', '--ttl', '1h'], { STRATBOARD_TOKEN_SECRET: secret });
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role must be one of facilitator, editor, viewer/);

    const config = join(dir.path, 'server.json');
    await writeFile(config, JSON.stringify({ port: 99999, limits: { maxMessageBytes: 0 } }));
    const badConfig = await cli(['serve', '--config', config]);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain('port:');
    expect(badConfig.stderr).toContain('limits.maxMessageBytes:');
  }, 120_000);
});
