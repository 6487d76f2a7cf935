import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { makeTempDir, startTestServer } from '../test-support/clients';
import type { SyncServer } from './server';
import { CONTENT_SECURITY_POLICY } from './static';

let root: Awaited<ReturnType<typeof makeTempDir>>;
let server: SyncServer;
const dataDir = () => join(root.path, 'data');

beforeAll(async () => {
  root = await makeTempDir();
  const web = join(root.path, 'web');
  await mkdir(join(web, 'assets'), { recursive: true });
  await mkdir(dataDir());
  await writeFile(join(web, 'index.html'), '<!doctype html><title>Стратборд</title>');
  await writeFile(join(web, 'assets', 'app-1a2b.js'), 'console.log(1)');
  await writeFile(join(web, 'assets', 'app-1a2b.css'), 'body{}');
  await writeFile(join(web, '.env'), 'SECRET=1');
  await writeFile(join(root.path, 'secret.txt'), 'top secret');
  server = await startTestServer({ dataDir: dataDir(), staticDir: web });
});

afterAll(async () => {
  await server.close();
  await root.remove();
});

function postJson(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return fetch(`${server.url}/api/workspaces`, { method: 'POST', headers, body });
}

/** A GET with the path sent exactly as written (fetch would normalise `..`). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('workspace API', () => {
  it('creates a workspace file and then returns its id and name', async () => {
    const created = await postJson(JSON.stringify({ name: '  Проектный офис  ', firstBoardTitle: 'Стратсессия' }));
    expect(created.status).toBe(201);
    const { id, name } = (await created.json()) as { id: string; name: string };
    expect(name).toBe('Проектный офис');
    expect(existsSync(join(dataDir(), `${id}.stratboard`))).toBe(true);

    const fetched = await fetch(`${server.url}/api/workspaces/${id}`);
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual({ id, name: 'Проектный офис' });
  });

  it.each([
    ['an empty name', { name: '', firstBoardTitle: 'Доска' }],
    ['a blank name', { name: '   ', firstBoardTitle: 'Доска' }],
    ['a name over 200 characters', { name: 'я'.repeat(201), firstBoardTitle: 'Доска' }],
    ['no board title', { name: 'Офис' }],
    ['a number for a name', { name: 42, firstBoardTitle: 'Доска' }],
    ['an array', [1, 2]],
  ])('refuses to create a workspace with %s (400 invalid-input)', async (_case, body) => {
    const response = await postJson(JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid-input' });
  });

  it('refuses a body that is not JSON with 400 invalid-input', async () => {
    const response = await postJson('{"name": ');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid-input' });
  });

  it('refuses a body that is not declared as JSON with 415', async () => {
    const response = await postJson(JSON.stringify({ name: 'a', firstBoardTitle: 'b' }), { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const response = await postJson(JSON.stringify({ name: 'a'.repeat(70 * 1024), firstBoardTitle: 'b' }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'too-large' });
  });

  it('answers 404 not-found for a workspace that does not exist or a malformed id', async () => {
    for (const id of [newId(), 'nope', '..%2F..%2Fetc']) {
      const response = await fetch(`${server.url}/api/workspaces/${id}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: 'not-found' });
    }
  });

  it('answers GET /healthz with ok', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
  });

  it('asks for an upgrade on a plain GET of a sync path', async () => {
    const response = await fetch(`${server.url}/sync/${newId()}/index`);
    expect(response.status).toBe(426);
  });
});

describe('static files of the browser edition', () => {
  it('serves index.html at / with the content security policy and safety headers', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await response.text()).toContain('Стратборд');
  });

  it('serves assets with their MIME types', async () => {
    const script = await fetch(`${server.url}/assets/app-1a2b.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await script.text()).toBe('console.log(1)');
    const style = await fetch(`${server.url}/assets/app-1a2b.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers app routes with index.html and a missing asset with 404', async () => {
    const route = await fetch(`${server.url}/w/${newId()}/board/${newId()}`);
    expect(route.status).toBe(200);
    expect(route.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await route.text()).toContain('Стратборд');

    const missing = await fetch(`${server.url}/assets/missing-0000.js`);
    expect(missing.status).toBe(404);
  });

  it.each([
    '/../package.json',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/../../secret.txt',
    '/..%5csecret.txt',
    '/%2e%2e/%2e%2e/package.json',
    '/index.html%00.js',
  ])('does not let %s out of the static folder', async (path) => {
    const response = await rawGet(path);
    expect(response.status).toBe(400);
    expect(response.body).not.toContain('top secret');
  });

  it('never serves dotfiles', async () => {
    const response = await rawGet('/.env');
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('SECRET');
  });
});
