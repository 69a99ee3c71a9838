// The end-user identifier sent to OpenAI as `user` on every call, so its abuse monitoring sees
// people, not the whole team's key: 'ff_' + base64url(HMAC-SHA256(key, 'framefill-user:' + token
// name)), cut to END_USER_ID_CHARS. Derived from the token's NAME (never its secret), so it is
// stable across requests and instances. The key is FRAMEFILL_USER_ID_SECRET, else one derived from
// the OpenAI key: then no one without that key can turn an id back into a name, but OpenAI, which
// holds the key, could test guessed names — deployments that want names hidden from OpenAI too set
// FRAMEFILL_USER_ID_SECRET. A client's own
// `user` (a shared token separating people) is folded in, never passed on raw. WebCrypto, so it
// runs on Workers.

/** 'ff_' and 19 characters of base64url: 114 bits of the HMAC, far past any collision among a team's people. */
export const END_USER_ID_CHARS = 22;
const CACHE_LIMIT = 10_000;

export type EndUserIds = (tokenName: string, clientUser?: string) => Promise<string>;

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The id maker for a deployment. `secret`: FRAMEFILL_USER_ID_SECRET; without one the key is an
 * HMAC of the OpenAI key under a fixed label (the OpenAI key itself is never the HMAC key, so an
 * id reveals nothing about it).
 */
export function endUserIds(openaiApiKey: string, secret?: string): EndUserIds {
  const hmacKey: Promise<CryptoKey> = (async () => {
    const raw = secret !== undefined ? encoder.encode(secret) : await hmac(await importKey(encoder.encode(openaiApiKey)), 'framefill-user-id-key');
    return importKey(raw);
  })();
  const cache = new Map<string, Promise<string>>();
  return (tokenName, clientUser) => {
    // Length-prefixed so no (name, user) pair can spell another's message.
    const message = clientUser === undefined ? `framefill-user:${tokenName}` : `framefill-user:${tokenName.length}:${tokenName}:${clientUser}`;
    let id = cache.get(message);
    if (id === undefined) {
      // Bounded: a client cycling `user` values cannot grow it without end.
      if (cache.size >= CACHE_LIMIT) cache.clear();
      id = hmacKey.then(async (key) => `ff_${base64url(await hmac(key, message))}`.slice(0, END_USER_ID_CHARS));
      cache.set(message, id);
    }
    return id;
  };
}

function importKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

async function hmac(key: CryptoKey, message: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
}
