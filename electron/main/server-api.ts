import { HostError } from '../../shared/host';
import type { Id } from '../../shared/ids';
import type { Role } from '../../shared/roles';

// The admin side of a Stratboard sync server's HTTP API (docs/sync-server.md), as the
// desktop app uses it to publish workspaces and hand out invites. Every failure is a
// HostError whose code the renderer translates; the detail (status, body) is for logs.

const REQUEST_TIMEOUT_MS = 10_000;

export interface IssuedToken {
  token: string;
  tokenId: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

type Fetch = typeof fetch;

export class ServerApi {
  constructor(
    /** The browser-edition address, e.g. https://board.example.org (see normalizeServerUrl). */
    readonly url: string,
    private readonly adminKey: string,
    private readonly fetchImpl: Fetch = fetch,
  ) {}

  /**
   * Whether the admin key is the server's: a revocation without a body is refused as
   * `invalid-input` (400) for the admin and as a bad credential for anyone else, so the
   * check changes nothing. 'open' when the server runs without access control.
   */
  async checkAdminKey(): Promise<'ok' | 'open'> {
    const { status, body } = await this.request('POST', '/api/tokens/revoke', {});
    if (status === 400 && body.error === 'invalid-input') return 'ok';
    if (status === 501 && body.error === 'auth-disabled') return 'open';
    throw this.failure(status, body);
  }

  /** Creates the workspace on the server, empty, with our id; an existing one is kept (idempotent). */
  async publishWorkspace(workspaceId: Id, name: string): Promise<void> {
    const { status, body } = await this.request('PUT', `/api/workspaces/${workspaceId}`, { name });
    if ((status === 200 || status === 201) && body.id === workspaceId) return;
    throw this.failure(status, body);
  }

  /**
   * A signed token for the workspace; null when the server runs open and needs none.
   * `shorterIfNeeded` takes the server's longest lifetime instead of refusing a longer one.
   */
  async issueToken(input: { workspaceId: Id; role: Role; ttlSeconds: number; name?: string }, shorterIfNeeded = false): Promise<IssuedToken | null> {
    const { status, body } = await this.request('POST', '/api/tokens', input);
    if (status === 501 && body.error === 'auth-disabled') return null;
    const longest = body.maxTtlSeconds;
    if (shorterIfNeeded && status === 400 && body.error === 'ttl-too-long' && typeof longest === 'number' && longest > 0 && longest < input.ttlSeconds) {
      return this.issueToken({ ...input, ttlSeconds: Math.floor(longest) });
    }
    if (status === 201 && typeof body.token === 'string' && typeof body.tokenId === 'string' && typeof body.expiresAt === 'number') {
      return { token: body.token, tokenId: body.tokenId, expiresAt: body.expiresAt };
    }
    throw this.failure(status, body);
  }

  async revokeToken(tokenId: string): Promise<void> {
    const { status, body } = await this.request('POST', '/api/tokens/revoke', { tokenId });
    if (status === 200 && body.revoked === true) return;
    throw this.failure(status, body);
  }

  private async request(method: string, path: string, payload: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.adminKey}` },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (error) {
      throw new HostError('server-unreachable', `${method} ${this.url}${path}: ${String(error)}`);
    }
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    // Our server answers every API call with a JSON object; a proxy's error page or another site does not.
    if (typeof body !== 'object' || body === null) {
      if (response.status === 502 || response.status === 503 || response.status === 504) {
        throw new HostError('server-unreachable', `${method} ${path}: HTTP ${response.status}`);
      }
      throw new HostError('not-a-sync-server', `${method} ${this.url}${path}: HTTP ${response.status} ${text.slice(0, 200)}`);
    }
    return { status: response.status, body: body as Record<string, unknown> };
  }

  private failure(status: number, body: Record<string, unknown>): HostError {
    const detail = `HTTP ${status} ${JSON.stringify(body).slice(0, 200)}`;
    const error = typeof body.error === 'string' ? body.error : '';
    if (status === 401 || (status === 403 && error !== 'forbidden')) return new HostError('wrong-admin-key', detail);
    if (status === 501 && error === 'auth-disabled') return new HostError('server-without-auth', detail);
    if (status === 400 && error === 'ttl-too-long') return new HostError('invite-ttl-too-long', detail);
    if (status === 404 && error === 'unknown-workspace') return new HostError('not-published', detail);
    if (status === 400) return new HostError('invalid-input', detail);
    if (status === 404) return new HostError('not-a-sync-server', detail);
    if (status === 429 || status === 503) return new HostError('server-unreachable', detail);
    return new HostError('internal', detail);
  }
}
