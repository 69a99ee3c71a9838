// A batch as kept in the shared store (`batch:{name}:{id}`): what was asked, what is reserved,
// the upstream parts and each item's outcome. JSON in the store is a boundary: parsed with zod.
import * as z from 'zod';
import { BATCH_ITEM_STATUSES, BATCH_STATUSES } from '../contract';
import type { Store } from '../store';
import { storeKeys } from '../store/keys';
import { parseStoredJson } from '../store/stored-json';

const itemSchema = z.object({
  id: z.string(),
  kind: z.enum(['generation', 'edit']),
  endpoint: z.enum(['/v1/images/generations', '/v1/images/edits']),
  model: z.string(),
  /** what was asked, as idempotency.fingerprint has it, so the stored result refuses another request under the id */
  fingerprint: z.string(),
  /** what its charge is bounded by (upstream/charge.ts), at the synchronous price */
  basis: z.object({ quality: z.string().optional(), size: z.string().optional(), n: z.number(), promptChars: z.number(), references: z.number(), maxMicros: z.number() }),
  status: z.enum(BATCH_ITEM_STATUSES),
  cost_usd: z.number().nullable(),
  error: z.object({ code: z.string().nullable(), message: z.string() }).nullable(),
});
export type BatchItemRecord = z.infer<typeof itemSchema>;

const partSchema = z.object({
  endpoint: z.enum(['/v1/images/generations', '/v1/images/edits']),
  upstream_id: z.string(),
  status: z.string(),
  output_file_id: z.string().nullable(),
  error_file_id: z.string().nullable(),
  counts: z.object({ total: z.number(), completed: z.number(), failed: z.number() }),
  /** the files Framefill uploaded for it (JSONL input, edits' images and masks); absent in records before file cleanup */
  uploaded: z.array(z.string()).optional(),
});
export type BatchPart = z.infer<typeof partSchema>;

const recordSchema = z.object({
  v: z.literal(1),
  id: z.string(),
  token: z.string(),
  /** ms since the epoch */
  created_at: z.number(),
  status: z.enum(BATCH_STATUSES),
  discount: z.number(),
  reserved_micros: z.number(),
  cost_usd: z.number(),
  /** the reservation (accounting/reservation.ts HeldReservation), settled by whichever instance finishes the batch */
  held: z.object({
    name: z.string(),
    month: z.string(),
    usdKey: z.string(),
    imageKey: z.string().nullable(),
    images: z.number(),
    maxMicros: z.number(),
    hold: z.object({ index: z.string(), id: z.string(), expiresAt: z.number() }),
  }),
  parts: z.array(partSchema),
  items: z.array(itemSchema),
  /** the reservation has been settled (or is being): never again */
  settled: z.boolean(),
  /** once settled: the files still to delete upstream (file-cleanup.ts), and how many advances tried */
  cleanup: z.object({ files: z.array(z.string()), tries: z.number() }).optional(),
});
export type BatchRecord = z.infer<typeof recordSchema>;

export async function readBatch(store: Store, name: string, id: string): Promise<BatchRecord | null> {
  return parseStoredJson(recordSchema, await store.read(storeKeys.batch(name, id)));
}

export function writeBatch(store: Store, record: BatchRecord, ttlSeconds: number): Promise<void> {
  return store.put(storeKeys.batch(record.token, record.id), JSON.stringify(record), ttlSeconds);
}

/** Whether item `itemId` of `name` waits in a batch still running (GET /v1/results/{id} answers 202). */
export async function batchItemPending(store: Store, name: string, itemId: string): Promise<boolean> {
  const batchId = await store.read(storeKeys.batchItem(name, itemId));
  if (batchId === null) return false;
  const record = await readBatch(store, name, batchId);
  return record?.items.some((item) => item.id === itemId && item.status === 'pending') ?? false;
}
