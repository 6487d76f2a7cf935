import { describe, expect, it } from 'vitest';
import { HostError, type HostErrorCode } from '../../shared/host';
import { createI18n, errorKey } from './index';

// Codes the publishing flow reports; a new one without strings would show the generic error.
const publishingCodes: HostErrorCode[] = [
  'invalid-server-url',
  'wrong-admin-key',
  'not-a-sync-server',
  'server-without-auth',
  'not-published',
  'invite-ttl-too-long',
  'server-unreachable',
];

describe('error messages', () => {
  it.each(['ru', 'en'] as const)('has its own %s message for every publishing error', (locale) => {
    const i18n = createI18n(locale);
    const messages = new Set<string>();
    for (const code of publishingCodes) {
      const key = errorKey(new HostError(code));
      expect(key, code).not.toBe('errors.internal');
      expect(i18n.exists(key), `${locale} ${key}`).toBe(true);
      messages.add(i18n.t(key));
    }
    expect(messages.size).toBe(publishingCodes.length);
  });

  it('falls back to the generic message for an unknown code', () => {
    expect(errorKey({ code: 'no-such-code' })).toBe('errors.internal');
    expect(errorKey(new Error('boom'))).toBe('errors.internal');
  });
});
