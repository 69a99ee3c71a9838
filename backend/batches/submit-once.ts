// POST /v1/framefill/batches with an Idempotency-Key: a repeat (the panel's retry after a lost
// answer) gets the batch the first one made — its current view — and nothing is created or
// reserved again. Per token name and key, in the shared store (`batchkey:{name}:{key}`):
//   - putIfAbsent succeeds → this request submits; the claim then names the batch (or, should the
//     submission fail, goes, so a retry submits afresh);
//   - the claim names a batch → that batch (a different body under the key: 409 key reused);
//   - the claim says "being submitted" → wait briefly (bounded) for it, then 409 request_in_progress
//     (Retry-After) — or take it over once its deadline passed (the instance submitting it stopped).
import * as z from 'zod';
import { batchDefaults } from '../config/load-config';
import { batchStillSubmitting, keyReused } from '../errors';
import { sha256Hex } from '../results/idempotency';
import { storeKeys } from '../store/keys';
import { parseStoredJson } from '../store/stored-json';
import type { BatchDeps } from './batch-deps';
import { readBatch, type BatchRecord } from './batch-record';
import { recordTtlSeconds, submitBatch } from './submit';

/** Past this a claim still "being submitted" was left by an instance that stopped (uploads of a large batch included). */
export const SUBMIT_LEASE_MS = 15 * 60_000;
/** How long a repeat waits for the submission in progress before answering 409. */
const WAIT_MS = 10_000;
const POLL_MS = 250;

const claimSchema = z.object({
  /** SHA-256 of the body's items: the same key with other items is refused */
  fingerprint: z.string(),
  /** the batch made under the key; null while it is being submitted */
  batch: z.string().nullable(),
  /** ms since the epoch; past it (still null) the submission is lost */
  deadline: z.number(),
});
type Claim = z.infer<typeof claimSchema>;

export interface SubmitOutcome {
  record: BatchRecord;
  /** true: a repeat answered with the batch its key already made */
  replayed: boolean;
}

/** The items' fingerprint: what a repeat must send again. */
function fingerprintOf(body: unknown): Promise<string> {
  const items = typeof body === 'object' && body !== null && 'items' in body ? body.items : body;
  return sha256Hex(new TextEncoder().encode(JSON.stringify(items ?? null)));
}

export async function submitBatchOnce(deps: BatchDeps, token: string, key: string | null, body: unknown, clock: () => number): Promise<SubmitOutcome> {
  if (key === null) return { record: await submitBatch(deps, token, body, clock()), replayed: false };
  const storeKey = storeKeys.batchKey(token, key);
  const ttl = recordTtlSeconds((deps.config.batch ?? batchDefaults()).resultTtlSeconds);
  const print = await fingerprintOf(body);
  const until = clock() + WAIT_MS;
  // Bounded: the wait's deadline ends it; the count is a backstop should the clock stand still.
  for (let round = 0; round < WAIT_MS / POLL_MS + 10; round++) {
    const mine = JSON.stringify({ fingerprint: print, batch: null, deadline: clock() + SUBMIT_LEASE_MS } satisfies Claim);
    const heldText = (await deps.store.putIfAbsent(storeKey, mine, ttl)) ? null : await deps.store.read(storeKey);
    const held = heldText === null ? null : parseStoredJson(claimSchema, heldText);
    if (held && held.fingerprint !== print) throw keyReused();
    if (held?.batch) {
      const record = await readBatch(deps.store, token, held.batch);
      if (record) return { record, replayed: true };
    }
    // Ours: claimed just now, or taken over from a lost submission (or one whose batch expired).
    const takeOver = heldText !== null && (held === null || held.batch !== null || clock() > held.deadline);
    if (heldText === null || (takeOver && (await deps.store.compareAndSet(storeKey, heldText, mine, ttl)))) {
      return { record: await submitClaimed(deps, token, body, clock(), storeKey, mine, print, ttl), replayed: false };
    }
    if (clock() >= until) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw batchStillSubmitting();
}

async function submitClaimed(deps: BatchDeps, token: string, body: unknown, now: number, storeKey: string, mine: string, print: string, ttl: number): Promise<BatchRecord> {
  let record: BatchRecord;
  try {
    record = await submitBatch(deps, token, body, now);
  } catch (err) {
    // Nothing was made: the key is free for the retry.
    await deps.store.compareAndSet(storeKey, mine, null, ttl).catch(() => false);
    throw err;
  }
  const named = JSON.stringify({ fingerprint: print, batch: record.id, deadline: now } satisfies Claim);
  if (!(await deps.store.compareAndSet(storeKey, mine, named, ttl).catch(() => false))) {
    deps.warn(`batch ${record.id}: its Idempotency-Key claim changed while it was submitted; a repeat may not find it`);
  }
  return record;
}
