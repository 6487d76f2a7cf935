import { describe, expect, it } from 'vitest';
import { peekAccessClaims } from './access-token';

function fakeJwt(payload: object): string {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
  return `${b64('{"alg":"HS256"}')}.${b64(JSON.stringify(payload))}.signature`;
}

describe('peekAccessClaims', () => {
  it('reads workspace, role, expiry and id', () => {
    const token = fakeJwt({ ws: 'abc', role: 'viewer', exp: 1_900_000_000, jti: 't1', name: 'Мария' });
    expect(peekAccessClaims(token)).toEqual({ workspaceId: 'abc', role: 'viewer', expiresAt: 1_900_000_000, tokenId: 't1' });
  });

  it('returns null for garbage, unknown roles and missing claims', () => {
    expect(peekAccessClaims('not-a-token')).toBeNull();
    expect(peekAccessClaims(fakeJwt({ ws: 'abc', role: 'admin', exp: 1 }))).toBeNull();
    expect(peekAccessClaims(fakeJwt({ role: 'editor', exp: 1 }))).toBeNull();
    expect(peekAccessClaims('a.%%%.c')).toBeNull();
  });
});
