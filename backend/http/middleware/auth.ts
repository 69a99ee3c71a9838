// Bearer-token check. Secrets are compared as SHA-256 digests in constant time (Web Crypto, so
// the same code runs on Node, Workers and Vercel): the time taken depends neither on how much
// of a secret matched nor on its length, and every configured token is checked every time.
import type { MiddlewareHandler } from 'hono';
import type { AccessToken } from '../../config/load-config';
import type { AppEnv } from '../context';
import { unauthorized } from '../../errors';
import type { AuthThrottle } from './auth-throttle';
import { clientAddress } from './client-address';

const encoder = new TextEncoder();

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** Equal-length byte arrays compared without an early exit. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}


/** `Bearer <secret>` → secret; anything else → null. */
export function bearerSecret(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  return match ? match[1]! : null;
}

export interface Authenticator {
  /** the caller's token name, or throws the 401 HttpError */
  authenticate(authorization: string | null | undefined): Promise<string>;
}

export function createAuthenticator(tokens: readonly AccessToken[]): Authenticator {
  // Digests are computed once, lazily (crypto.subtle is async).
  let digests: Promise<Array<{ name: string; digest: Uint8Array }>> | undefined;
  const known = () =>
    (digests ??= Promise.all(tokens.map(async (t) => ({ name: t.name, digest: await sha256(t.secret) }))));

  return {
    async authenticate(authorization) {
      const secret = bearerSecret(authorization);
      const list = await known();
      if (secret === null) throw unauthorized();
      const presented = await sha256(secret);
      let match: string | null = null;
      for (const t of list) {
        // No break: every token is compared so timing does not reveal which one matched.
        if (constantTimeEqual(presented, t.digest) && match === null) match = t.name;
      }
      if (match === null) throw unauthorized();
      return match;
    },
  };
}

/**
 * Every /v1 route: the caller's token name goes into the request state, or the request gets 401.
 * With a throttle, an address that failed too often lately gets 429 before its token is checked.
 */
export function authenticate(tokens: readonly AccessToken[], throttle?: AuthThrottle): MiddlewareHandler<AppEnv> {
  const authenticator = createAuthenticator(tokens);
  return async function authenticate(c, next) {
    const address = throttle ? clientAddress(c) : '';
    await throttle?.check(address);
    try {
      c.get('state').token = await authenticator.authenticate(c.req.header('authorization'));
    } catch (err) {
      await throttle?.failed(address);
      throw err;
    }
    await next();
  };
}
