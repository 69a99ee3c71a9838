// /v1/framefill/batches — overnight batches on OpenAI's Batch API (batches/), to the token that
// submitted them only (another token's id reads as unknown).
//   POST          submit items: 202 with the batch (its id and the cost reserved at the batch price)
//   GET    /{id}  status and per-item progress
//   DELETE /{id}  cancel upstream; what finished is kept and charged, the rest released
import { Hono, type Context } from 'hono';
import type { AppEnv, RouteDeps } from '../context';
import { fromStoreFailure, jsonResponse, unknownBatch } from '../../errors';
import { cancelBatch } from '../../batches/advance';
import { readBatch } from '../../batches/batch-record';
import { submitBatch } from '../../batches/submit';
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
      const body = await readJsonBody(c.req.raw);
      const record = await submitBatch(deps, token(c), body, deps.clock()).catch(storeFailure);
      return jsonResponse(batchView(record), 202, { 'retry-after': String(POLL_AFTER_SECONDS) });
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
