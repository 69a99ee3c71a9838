import { describe, expect, it } from 'vitest';
import { bearerSecret, constantTimeEqual, createAuthenticator } from './auth';
import { HttpError } from '../../errors';

describe('auth', () => {
  it('parses only the Bearer scheme', () => {
    expect(bearerSecret('Bearer abc')).toBe('abc');
    expect(bearerSecret('bearer  abc ')).toBe('abc');
    expect(bearerSecret('Basic abc')).toBeNull();
    expect(bearerSecret('abc')).toBeNull();
    expect(bearerSecret('Bearer a b')).toBeNull();
    expect(bearerSecret(undefined)).toBeNull();
  });

  it('compares bytes exactly', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
  });

  it('names the caller of a known secret and refuses anything else with 401', async () => {
    const auth = createAuthenticator([
      { name: 'alice', secret: 'alice-secret-0000' },
      { name: 'bob', secret: 'bob-secret-1111' },
    ]);
    expect(await auth.authenticate('Bearer bob-secret-1111')).toBe('bob');
    expect(await auth.authenticate('Bearer alice-secret-0000')).toBe('alice');
    for (const bad of [undefined, '', 'Bearer alice-secret-000', 'Bearer alice-secret-00000', 'Token alice-secret-0000']) {
      const err = await auth.authenticate(bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HttpError);
      expect((err as HttpError).status).toBe(401);
      expect((err as HttpError).message).not.toContain('alice-secret');
    }
  });

  it('refuses everyone when no tokens are configured', async () => {
    await expect(createAuthenticator([]).authenticate('Bearer anything')).rejects.toBeInstanceOf(HttpError);
  });
});
