// Finished results of idempotent requests, kept in the shared Store under the caller's token
// name and the request's Idempotency-Key, so a repeat (or GET /v1/results/{id}) on any instance
// gets the same images without a second upstream call. JSON in the store is a boundary: parsed
// with zod on the way out.
import * as z from 'zod';
import type { Store } from '../store';
import { storeKeys } from '../store/keys';

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

/** Characters that would need escaping in JSON (or are not ASCII): an image with none can be spliced in as it is. */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\u007f-\uffff]/;
/** Strings shorter than this are serialised as usual. */
const SPLICE_MIN_CHARS = 4096;

/**
 * JSON.stringify(result), but each image's base64 is joined in by reference rather than copied:
 * the text is a concatenation of the small serialised rest and the very strings the response
 * held (V8 keeps it as a rope until read). A burst of idempotent results then costs one copy of
 * each image, not two — 200 streams finishing together hold ~120 MB less at their peak.
 */
export function resultText(result: StoredResult): string {
  const images: string[] = [];
  const tag = `\u0001ff-image-${crypto.randomUUID()}-`;
  const text = JSON.stringify(result, (key, value: unknown) => {
    if (key !== 'b64_json' || typeof value !== 'string' || value.length < SPLICE_MIN_CHARS || NEEDS_ESCAPING.test(value)) return value;
    images.push(value);
    return `${tag}${images.length - 1}`;
  });
  if (images.length === 0) return text;
  // The tag starts with \u0001, which JSON writes as \\u0001: look for it as written.
  const written = JSON.stringify(tag).slice(1, -1);
  let out = '';
  let from = 0;
  images.forEach((image, i) => {
    const at = text.indexOf(`${written}${i}"`, from);
    out += text.slice(from, at) + image;
    from = at + written.length + String(i).length;
  });
  return out + text.slice(from);
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
  let text = resultText(result);
  if (text.length > options.maxBytes) {
    options.warn(`result ${id} of '${name}' is ${text.length} bytes, above FRAMEFILL_MAX_RESULT_BYTES (${options.maxBytes}); it is not kept for repeats or /v1/results`);
    text = marker;
  }
  try {
    await store.put(key, text, options.ttlSeconds, text === marker ? {} : { evictable: true, replacement: marker });
  } catch (err) {
    options.warn(`result ${id} of '${name}' could not be stored (${err instanceof Error ? err.message : 'store error'}); keeping only a marker`);
    await store.put(key, marker, options.ttlSeconds);
  }
}

/** The stored result, or null when absent, expired or unreadable. */
export async function readResult(store: Store, name: string, id: string): Promise<StoredResult | null> {
  const text = await store.read(storeKeys.result(name, id));
  if (text === null) return null;
  try {
    const parsed = storedResultSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Forgets a stored result (DELETE /v1/results/{id}). */
export function removeResult(store: Store, name: string, id: string): Promise<void> {
  return store.remove(storeKeys.result(name, id));
}
