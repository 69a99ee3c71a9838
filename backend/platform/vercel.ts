// Vercel Functions entry (Node.js runtime, Fluid compute): Web-standard method exports, which
// Vercel streams. Built by scripts/build-backend.mjs into .vercel/output (Build Output API).
import { createFetchHandler } from './fetch-handler';

const handle = createFetchHandler();
const serve = (request: Request): Promise<Response> => handle(request, process.env);

export { serve as GET, serve as HEAD, serve as OPTIONS, serve as POST, serve as PUT, serve as DELETE, serve as PATCH };
