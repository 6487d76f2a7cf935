import { isRole, type Role } from './roles';

// Access tokens are JWTs the sync server signs (sync-server/src/auth.ts verifies them).
// Claims: `ws` workspace id, `role`, `exp` (seconds since epoch), `jti` (for revocation),
// optional `name`. The client only *peeks* at the claims to show the right UI; the
// server alone decides what a token may do.

export interface AccessClaims {
  workspaceId: string;
  role: Role;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
  tokenId?: string;
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function base64UrlToString(input: string): string | null {
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of input) {
    const index = alphabet.indexOf(char);
    if (index < 0) return null;
    value = (value << 6) | index;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  try {
    return decodeURIComponent(bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));
  } catch {
    return null;
  }
}

/** Reads a token's claims without verifying its signature (UI hints only). */
export function peekAccessClaims(token: string): AccessClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const json = base64UrlToString(parts[1]!);
  if (json === null) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const { ws, role, exp, jti } = payload as Record<string, unknown>;
  if (typeof ws !== 'string' || !isRole(role) || typeof exp !== 'number') return null;
  return { workspaceId: ws, role, expiresAt: exp, ...(typeof jti === 'string' ? { tokenId: jti } : {}) };
}
