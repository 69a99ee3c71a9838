// /v1/framefill/batches — overnight batches on OpenAI's Batch API (batches/), to the token that
// submitted them only (another token's id reads as unknown).
//   POST          submit items: 202 with the batch (its id and the cost reserved at the batch price);
//                 a repeat with the same Idempotency-Key: 200 with that batch, nothing made again
//   GET    /{id}  status and per-item progress
//   DELETE /{id}  cancel upstream; what finished is kept and charged, the rest released
import { Hono, type Context } from 'hono';
import type { AppEnv, RouteDeps } from '../context';
import { fromStoreFailure, jsonResponse, unknownBatch } from '../../errors';
import { cancelBatch } from '../../batches/advance';
import { readBatch } from '../../batches/batch-record';
import { submitBatchOnce } from '../../batches/submit-once';
import { IDEMPOTENCY_HEADER, REPLAYED_HEADER } from '../../contract';
import { parseIdempotencyKey } from '../../results/idempotency';
import { batchView } from '../../batches/view';
import { readJsonBody } from './body';

/** How often a client should look again at a running batch. */
const POLL_AFTER_SECONDS = 60;

export function batchRoutes(deps: RouteDeps): Hono<AppEnv> {
  const token = (c: Context<AppEnv>) => c.get('state').token ?? 'unknown';
  const storeFailure = (err: unknown) => {
    throw fromStoreFailure(err);
  };
  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const key = parseIdempotencyKey(c.req.header(IDEMPOTENCY_HEADER));
      const body = await readJsonBody(c.req.raw);
      const { record, replayed } = await submitBatchOnce(deps, token(c), key, body, deps.clock).catch(storeFailure);
      return jsonResponse(batchView(record), replayed ? 200 : 202, { 'retry-after': String(POLL_AFTER_SECONDS), ...(replayed ? { [REPLAYED_HEADER]: 'true' } : {}) });
    })
    .get('/:id', async (c) => {
      const id = c.req.param('id');
      const record = await readBatch(deps.store, token(c), id).catch(storeFailure);
      if (!record) throw unknownBatch(id);
      return jsonResponse(batchView(record));
    })
    .delete('/:id', async (c) => {
      const id = c.req.param('id');
      const record = await cancelBatch(deps, { name: token(c), id }, deps.clock()).catch(storeFailure);
      if (!record) throw unknownBatch(id);
      return jsonResponse(batchView(record));
    });
}
