// Finished results of idempotent requests, kept in the shared Store under the caller's token
// name and the request's Idempotency-Key, so a repeat (or GET /v1/results/{id}) on any instance
// gets the same images without a second upstream call. JSON in the store is a boundary: parsed
// with zod on the way out.
import * as z from 'zod';
import type { Store } from '../store';
import { storeKeys } from '../store/keys';
import { parseStoredJson } from '../store/stored-json';
import { Base64Bytes } from '../upstream/base64-bytes';
import { concatBytes } from '../upstream/concat-bytes';

export type ImageRoute = 'generations' | 'edits';

const storedResultSchema = z.object({
  v: z.literal(1),
  /** not_retained: the call succeeded (and was paid for) but its images were too big to keep, or were dropped to make room */
  status: z.enum(['succeeded', 'not_retained']),
  route: z.enum(['generations', 'edits']),
  /** what was asked (idempotency.fingerprint), so a key reused for another request is refused */
  fingerprint: z.string(),
  cost_usd: z.number(),
  /** the full ImagesResponse as a non-stream call returns it, `framefill` included */
  body: z.record(z.string(), z.unknown()).optional(),
});
export type StoredResult = z.infer<typeof storedResultSchema>;

const encoder = new TextEncoder();

/**
 * The stored form of a result: its JSON text — as UTF-8 bytes when it holds images that arrived
 * as bytes (a stream's, Base64Bytes), each copied in once and never made a JS string. Kept off
 * the JS heap that way, a burst of finished streams costs the store's cap in memory, not one
 * string per image waiting for a full collection (bench/README.md, streaming load).
 */
export function serializeResult(result: StoredResult): string | Uint8Array {
  const images: Base64Bytes[] = [];
  const tag = `\u0001ff-image-${crypto.randomUUID()}-`;
  const text = JSON.stringify(result, function (this: Record<string, unknown>, key: string, value: unknown) {
    const image = this[key];
    if (!(image instanceof Base64Bytes)) return value;
    if (!image.plain()) return image.toString();
    images.push(image);
    return `${tag}${images.length - 1}`;
  });
  if (images.length === 0) return text;
  // The tag starts with \u0001, which JSON writes as \\u0001: look for it as written.
  const written = JSON.stringify(tag).slice(1, -1);
  const pieces: Uint8Array[] = [];
  let from = 0;
  images.forEach((image, i) => {
    const at = text.indexOf(`${written}${i}"`, from);
    pieces.push(encoder.encode(text.slice(from, at)), ...image.parts);
    from = at + written.length + String(i).length;
  });
  pieces.push(encoder.encode(text.slice(from)));
  return concatBytes(pieces);
}

export interface SaveOptions {
  ttlSeconds: number;
  maxBytes: number;
  /** told when a result is not kept (too big, or the store refused it) */
  warn: (message: string) => void;
}

/**
 * Saves a result; one above `maxBytes` (or one the store refuses) is replaced by a small
 * `not_retained` marker, so repeats learn it was delivered once instead of paying again. The
 * same marker is what an in-memory store keeps when it evicts the result to stay within
 * FRAMEFILL_MEMORY_RESULT_BYTES (PutOptions.evictable): older results make way for newer ones,
 * but a repeat of an evicted one is still told it was paid for, never charged again.
 */
export async function saveResult(store: Store, name: string, id: string, result: StoredResult, options: SaveOptions): Promise<void> {
  const key = storeKeys.result(name, id);
  const marker = JSON.stringify({ v: 1, status: 'not_retained', route: result.route, fingerprint: result.fingerprint, cost_usd: result.cost_usd } satisfies StoredResult);
  let stored = serializeResult(result);
  const size = typeof stored === 'string' ? stored.length : stored.byteLength;
  if (size > options.maxBytes) {
    options.warn(`result ${id} of '${name}' is ${size} bytes, above FRAMEFILL_MAX_RESULT_BYTES (${options.maxBytes}); it is not kept for repeats or /v1/results`);
    stored = marker;
  }
  try {
    await store.put(key, stored, options.ttlSeconds, stored === marker ? {} : { evictable: true, replacement: marker, group: name });
  } catch (err) {
    options.warn(`result ${id} of '${name}' could not be stored (${err instanceof Error ? err.message : 'store error'}); keeping only a marker`);
    await store.put(key, marker, options.ttlSeconds);
  }
}

/** The stored result, or null when absent, expired or unreadable. */
export async function readResult(store: Store, name: string, id: string): Promise<StoredResult | null> {
  return parseStoredJson(storedResultSchema, await store.read(storeKeys.result(name, id)));
}

/** Forgets a stored result (DELETE /v1/results/{id}). */
export function removeResult(store: Store, name: string, id: string): Promise<void> {
  return store.remove(storeKeys.result(name, id));
}
