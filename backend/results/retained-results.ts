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
  /** not_retained: the call succeeded (and was paid for) but its images were too big to keep */
  status: z.enum(['succeeded', 'not_retained']),
  route: z.enum(['generations', 'edits']),
  /** what was asked (idempotency.fingerprint), so a key reused for another request is refused */
  fingerprint: z.string(),
  cost_usd: z.number(),
  /** the full ImagesResponse as a non-stream call returns it, `framefill` included */
  body: z.record(z.string(), z.unknown()).optional(),
});
export type StoredResult = z.infer<typeof storedResultSchema>;

export interface SaveOptions {
  ttlSeconds: number;
  maxBytes: number;
  /** told when a result is not kept (too big, or the store refused it) */
  warn: (message: string) => void;
}

/**
 * Saves a result; one above `maxBytes` (or one the store refuses) is replaced by a small
 * `not_retained` marker, so repeats learn it was delivered once instead of paying again.
 */
export async function saveResult(store: Store, name: string, id: string, result: StoredResult, options: SaveOptions): Promise<void> {
  const key = storeKeys.result(name, id);
  const marker = (): StoredResult => ({ v: 1, status: 'not_retained', route: result.route, fingerprint: result.fingerprint, cost_usd: result.cost_usd });
  let text = JSON.stringify(result);
  if (text.length > options.maxBytes) {
    options.warn(`result ${id} of '${name}' is ${text.length} bytes, above FRAMEFILL_MAX_RESULT_BYTES (${options.maxBytes}); it is not kept for repeats or /v1/results`);
    text = JSON.stringify(marker());
  }
  try {
    await store.put(key, text, options.ttlSeconds);
  } catch (err) {
    options.warn(`result ${id} of '${name}' could not be stored (${err instanceof Error ? err.message : 'store error'}); keeping only a marker`);
    await store.put(key, JSON.stringify(marker()), options.ttlSeconds);
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
