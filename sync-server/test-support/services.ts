import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SyncServer } from '../src/server';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const mainScript = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface TestServices {
  redisUrl: string | null;
  databaseUrl: string | null;
  /** Why the tests that need a missing service skip; null when all are there. */
  missing: string | null;
}

/**
 * Redis and PostgreSQL for the scale-out tests, from TEST_REDIS_URL / TEST_DATABASE_URL
 * (`eval "$(.ci/services.sh start)"` sets both). Missing ones make those tests skip,
 * saying why — unless STRATBOARD_REQUIRE_SERVICES=1 (CI), where they are an error.
 */
export function testServices(need: { redis?: boolean; postgres?: boolean }): TestServices {
  const redisUrl = process.env.TEST_REDIS_URL || null;
  const databaseUrl = process.env.TEST_DATABASE_URL || null;
  const absent = [
    need.redis && !redisUrl ? 'TEST_REDIS_URL' : null,
    need.postgres && !databaseUrl ? 'TEST_DATABASE_URL' : null,
  ].filter((name): name is string => name !== null);
  let missing: string | null = null;
  if (absent.length > 0) {
    missing = `${absent.join(' and ')} not set; start the services with: eval "$(.ci/services.sh start)"`;
    if (process.env.STRATBOARD_REQUIRE_SERVICES === '1') {
      throw new Error(`STRATBOARD_REQUIRE_SERVICES=1 but ${missing}`);
    }
    console.warn(`skipping scale-out tests: ${missing}`);
  }
  return { redisUrl, databaseUrl, missing };
}

/** A sync server running as its own process (`sync-server/main.ts`), so it can be SIGKILLed. */
export class ServerProcess implements Pick<SyncServer, 'url' | 'port'> {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly port: number,
    readonly exited: Promise<NodeJS.Signals | number | null>,
    private readonly output: () => string,
  ) {}

  static async start(options: { dataDir: string; port?: number; env?: Record<string, string> }): Promise<ServerProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', mainScript, '--port', String(options.port ?? 0), '--data', options.dataDir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, REDIS_URL: '', DATABASE_URL: '', ...options.env },
    });
    let output = '';
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Stratboard server: (http:\/\/\S+?)\/?$/m.exec(output);
        if (match?.[1]) resolve(match[1]);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      void exited.then((how) => reject(new Error(`server exited (${how}) before listening:\n${output}`)));
      setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000).unref();
    });
    return new ServerProcess(child, url, Number(new URL(url).port), exited, () => output);
  }

  /** Everything the process printed so far. */
  get log(): string {
    return this.output();
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}
