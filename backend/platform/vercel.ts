// Vercel Functions entry (Node.js runtime, Fluid compute): Web-standard method exports, which
// Vercel streams. Built by scripts/build-backend.mjs into .vercel/output (Build Output API).
// Vercel Cron calls BATCH_CRON_PATH with `Authorization: Bearer $CRON_SECRET` to advance the
// overnight batches (issue 16); without CRON_SECRET set, that path refuses everyone.
import { createPlatformHandlers } from './fetch-handler';
import { BATCH_CRON_PATH, cronAuthorized } from './batch-cron';

const handlers = createPlatformHandlers();

async function serve(request: Request): Promise<Response> {
  if (new URL(request.url).pathname === BATCH_CRON_PATH) {
    if (!(await cronAuthorized(request, process.env.CRON_SECRET))) return Response.json({ error: { message: 'Not authorized.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }, { status: 401 });
    const built = await handlers.appFor(process.env);
    return Response.json(await built.advanceBatches(Date.now()));
  }
  return handlers.fetch(request, process.env);
}

export { serve as GET, serve as HEAD, serve as OPTIONS, serve as POST, serve as PUT, serve as DELETE, serve as PATCH };
