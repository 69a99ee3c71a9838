// The last word on every failure: an HttpError becomes its OpenAI-style response; anything else
// is a 500 whose cause is logged (with the request id, secrets redacted) and never sent.
import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HttpError, internalError, notFound } from '../../errors';
import type { AppEnv } from '../context';
import type { ServerErrorLog } from '../server-error-log';

export function errorResponse(logServerError: ServerErrorLog): ErrorHandler<AppEnv> {
  return function errorResponse(err, c) {
    const state = c.get('state');
    const error = err instanceof HttpError ? err : internalError(err);
    if (state) state.log.error ??= error.code ?? error.type;
    logServerError(state?.requestId ?? '-', error);
    return error.toResponse();
  };
}

export const unknownUrl: NotFoundHandler<AppEnv> = function unknownUrl(c) {
  return notFound(c.req.method, c.req.path).toResponse();
};
