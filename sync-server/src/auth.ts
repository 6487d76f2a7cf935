import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { isId, type Id } from '../../shared/ids';
import { isRole, roles, type Role } from '../../shared/roles';

// Access tokens: HS256 JWTs with exactly the claims shared/access-token.ts peeks at:
// `ws` workspace id, `role`, `exp`, `iat`, `jti` (for revocation) and optional `name`.

export const MIN_SECRET_BYTES = 32;
const ALGORITHM = 'HS256';
/** Revocations of tokens whose expiry is unknown (revoked by id alone) are kept this long. */
export const DEFAULT_MAX_TOKEN_TTL_SECONDS = 90 * 24 * 3600;

export interface AccessGrant {
  workspaceId: Id;
  role: Role;
  /** Seconds since the epoch. */
  expiresAt: number;
  issuedAt: number;
  tokenId: string;
  name?: string;
}

export interface IssueInput {
  workspaceId: Id;
  role: Role;
  ttlSeconds: number;
  name?: string;
}

export interface IssuedToken {
  token: string;
  tokenId: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

export type TokenRejection = 'malformed' | 'bad-signature' | 'expired' | 'revoked';
export type VerifyResult = { ok: true; grant: AccessGrant } | { ok: false; reason: TokenRejection };

export interface Auth {
  issue(input: IssueInput): Promise<IssuedToken>;
  verify(token: string): Promise<VerifyResult>;
  /** Revokes by token id; `expiresAt` (when known) lets the record be dropped once the token is dead anyway. */
  revoke(tokenId: string, expiresAt?: number): Promise<void>;
  readonly revocations: Revocations;
  readonly maxTtlSeconds: number;
}

/** A secret from config: at least 32 bytes of UTF-8 text. */
export function secretFromText(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length < MIN_SECRET_BYTES) throw new Error(`the token secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return bytes;
}

export function createAuth(options: { secret: Uint8Array; revocations?: Revocations; maxTtlSeconds?: number }): Auth {
  const { secret } = options;
  if (secret.length < MIN_SECRET_BYTES) throw new Error(`the token secret must be at least ${MIN_SECRET_BYTES} bytes`);
  const revocations = options.revocations ?? new Revocations(null);
  const maxTtlSeconds = options.maxTtlSeconds ?? DEFAULT_MAX_TOKEN_TTL_SECONDS;

  return {
    revocations,
    maxTtlSeconds,
    async issue({ workspaceId, role, ttlSeconds, name }) {
      if (!isId(workspaceId)) throw new Error(`not a workspace id: ${workspaceId}`);
      if (!isRole(role)) throw new Error(`role must be one of ${roles.join(', ')}`);
      if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > maxTtlSeconds) {
        throw new Error(`ttl must be a whole number of seconds between 1 and ${maxTtlSeconds}`);
      }
      const issuedAt = Math.floor(Date.now() / 1000);
      const expiresAt = issuedAt + ttlSeconds;
      const tokenId = randomUUID();
      const token = await new SignJWT({ ws: workspaceId, role, ...(name ? { name } : {}) })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .setJti(tokenId)
        .sign(secret);
      return { token, tokenId, expiresAt };
    },
    async verify(token) {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, secret, { algorithms: [ALGORITHM], requiredClaims: ['exp', 'iat', 'jti'] }));
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: 'expired' };
        if (error instanceof joseErrors.JWSSignatureVerificationFailed) return { ok: false, reason: 'bad-signature' };
        return { ok: false, reason: 'malformed' };
      }
      const { ws, role, exp, iat, jti, name } = payload as Record<string, unknown>;
      if (!isId(ws) || !isRole(role) || typeof exp !== 'number' || typeof iat !== 'number' || typeof jti !== 'string') {
        return { ok: false, reason: 'malformed' };
      }
      if (revocations.has(jti)) return { ok: false, reason: 'revoked' };
      return {
        ok: true,
        grant: { workspaceId: ws, role, expiresAt: exp, issuedAt: iat, tokenId: jti, ...(typeof name === 'string' ? { name } : {}) },
      };
    },
    revoke(tokenId, expiresAt) {
      return revocations.add(tokenId, expiresAt ?? Math.floor(Date.now() / 1000) + maxTtlSeconds);
    },
  };
}

/** Constant-time comparison of a presented admin key with the configured one. */
export function isAdminKey(presented: string, configured: string): boolean {
  // Hashing first gives equal lengths, so the comparison leaks neither content nor length.
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(configured).digest();
  return timingSafeEqual(a, b);
}

/** The bearer credential of an HTTP request, if any. */
export function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1] ?? null;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The access token of a websocket upgrade: the `token` query parameter (what the
 * stock WebsocketProvider's `params` sends) or a JWT-shaped `Sec-WebSocket-Protocol` entry.
 */
export function upgradeToken(url: string | undefined, protocolHeader: string | undefined): string | null {
  const query = url?.indexOf('?') ?? -1;
  if (url && query >= 0) {
    const token = new URLSearchParams(url.slice(query + 1)).get('token');
    if (token) return token;
  }
  for (const protocol of (protocolHeader ?? '').split(',')) {
    const candidate = protocol.trim();
    if (JWT_SHAPE.test(candidate)) return candidate;
  }
  return null;
}

/** Parses a duration like `90s`, `15m`, `8h`, `30d` (or bare seconds) into seconds. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)\s*(s|m|h|d)?$/.exec(text.trim());
  if (!match) return null;
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[match[2] ?? 's'] ?? 1;
  const seconds = Number(match[1]) * unit;
  return Number.isSafeInteger(seconds) && seconds > 0 ? seconds : null;
}

interface RevocationRecord {
  /** Token id. */
  jti: string;
  /** Seconds since the epoch after which the record can go (the token is expired by then). */
  until: number;
}

/**
 * Revoked token ids, kept in a JSON file in the data directory so they survive a
 * restart and a running server sees revocations made by the CLI (it polls the file).
 */
export class Revocations {
  private readonly revoked = new Map<string, number>();
  private readonly listeners = new Set<(tokenIds: string[]) => void>();
  private watchTimer: NodeJS.Timeout | null = null;
  private lastSeen = '';
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly file: string | null) {}

  /** Reads the file (if any); returns the ids that were not known before and tells the listeners. */
  async load(): Promise<string[]> {
    if (!this.file) return [];
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const added: string[] = [];
    for (const record of parseRevocations(text, this.file)) {
      if (!this.revoked.has(record.jti)) added.push(record.jti);
      this.revoked.set(record.jti, Math.max(record.until, this.revoked.get(record.jti) ?? 0));
    }
    if (added.length > 0) this.notify(added);
    return added;
  }

  has(tokenId: string): boolean {
    return this.revoked.has(tokenId);
  }

  onRevoked(listener: (tokenIds: string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async add(tokenId: string, until: number): Promise<void> {
    const known = this.revoked.has(tokenId);
    this.revoked.set(tokenId, Math.max(until, this.revoked.get(tokenId) ?? 0));
    if (!known) this.notify([tokenId]);
    if (!this.file) return;
    const file = this.file;
    // Re-read before writing so revocations made meanwhile by another process are kept.
    this.writing = this.writing
      .catch(() => {})
      .then(async () => {
        await this.load();
        const now = Math.floor(Date.now() / 1000);
        const records: RevocationRecord[] = [...this.revoked]
          .filter(([, recordUntil]) => recordUntil > now)
          .map(([jti, recordUntil]) => ({ jti, until: recordUntil }));
        const temporary = `${file}.${process.pid}.tmp`;
        await writeFile(temporary, `${JSON.stringify({ revoked: records }, null, 1)}\n`, { mode: 0o600 });
        await rename(temporary, file);
      });
    return this.writing;
  }

  /** Polls the file for revocations made by other processes (the CLI). */
  watch(intervalMs: number, onError: (error: unknown) => void): void {
    if (!this.file || this.watchTimer) return;
    const file = this.file;
    this.watchTimer = setInterval(() => {
      let signature: string;
      try {
        const stat = statSync(file);
        signature = `${stat.mtimeMs}:${stat.size}`;
      } catch {
        return;
      }
      if (signature === this.lastSeen) return;
      this.lastSeen = signature;
      this.load().catch(onError);
    }, intervalMs);
    this.watchTimer.unref();
  }

  stop(): void {
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = null;
  }

  private notify(tokenIds: string[]): void {
    for (const listener of this.listeners) listener(tokenIds);
  }
}

function parseRevocations(text: string, file: string): RevocationRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not valid JSON`);
  }
  const list = (parsed as { revoked?: unknown } | null)?.revoked;
  if (!Array.isArray(list)) throw new Error(`${file}: expected {"revoked": [...]}`);
  return list.filter(
    (entry): entry is RevocationRecord =>
      typeof entry === 'object' && entry !== null && typeof (entry as RevocationRecord).jti === 'string' && typeof (entry as RevocationRecord).until === 'number',
  );
}
