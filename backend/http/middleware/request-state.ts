// Outermost middleware: gives each request its state (request id, start time, the client's
// signal, log details) and, on Workers, a way to keep work alive after the response.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, RequestState } from '../context';

export function requestState(newRequestId: () => string, clock: () => number): MiddlewareHandler<AppEnv> {
  return async function requestState(c, next) {
    const state: RequestState = {
      requestId: newRequestId(),
      startedAt: clock(),
      token: null,
      clientSignal: c.req.raw.signal,
      log: {},
    };
    try {
      // Workers pass their ExecutionContext through app.fetch; elsewhere Hono's getter throws.
      const execution = c.executionCtx;
      state.waitUntil = (work) => execution.waitUntil(work);
    } catch {
      // Node: the process outlives the request, nothing to register.
    }
    c.set('state', state);
    await next();
  };
}
