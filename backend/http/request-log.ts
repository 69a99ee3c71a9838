// One JSON line per request. Fields are whitelisted here so nothing secret can slip in: no
// OpenAI key, no client secrets, prompts only when the operator opted in (FRAMEFILL_LOG_PROMPTS=1).
// Free text is scrubbed on the way out all the same (`scrubbed`): the route and prompt come from
// the client, the upstream request id and an error code may come from the upstream.
// A streaming request is logged when its stream ends (state.done), not when its headers go out.
import type { MiddlewareHandler } from 'hono';
import { redact, safeIdentifier } from '../errors';
import type { AppEnv } from './context';

export interface RequestLogLine {
  time: string;
  /** caller's token name; null when authentication failed or was not needed */
  token: string | null;
  method: string;
  route: string;
  status: number;
  ms: number;
  cost_usd: number;
  images: number;
  request_id: string;
  model?: string;
  stream?: boolean;
  /** OpenAI's x-request-id, to correlate with OpenAI support */
  upstream_request_id?: string | null;
  /** error code when the request failed */
  error?: string | null;
  /** only with FRAMEFILL_LOG_PROMPTS=1 */
  prompt?: string;
  /** answered from a stored result (Idempotency-Key repeat): no upstream call, no charge */
  replayed?: boolean;
}

export type Logger = (line: RequestLogLine) => void;

/** Writes each line as JSON (default: stdout via console.log, which every platform captures). */
export function jsonLogger(write: (text: string) => void = (text) => console.log(text)): Logger {
  return (line) => write(JSON.stringify(line));
}

/** Details a request handler adds to its log line as it learns them. */
export type LogDetails = Partial<
  Pick<RequestLogLine, 'cost_usd' | 'images' | 'model' | 'stream' | 'upstream_request_id' | 'error' | 'prompt' | 'replayed'>
>;

/** `line` with pieces of `secrets` redacted from its free text, and outside ids kept only when clean. */
function scrubbed(line: RequestLogLine, secrets: readonly string[]): RequestLogLine {
  const out: RequestLogLine = { ...line, route: redact(line.route, secrets) };
  if (typeof line.upstream_request_id === 'string') out.upstream_request_id = safeIdentifier(line.upstream_request_id, secrets);
  if (typeof line.error === 'string') out.error = safeIdentifier(line.error, secrets) ?? 'unprintable_error_code';
  if (line.prompt !== undefined) out.prompt = redact(line.prompt, secrets);
  return out;
}

/**
 * Writes the request's line once it is over (Workers: kept alive with waitUntil). `secrets`: the
 * OpenAI key and access secrets, never to appear in a line.
 */
export function requestLog(logger: Logger, clock: () => number, secrets: readonly string[] = []): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    await next();
    const state = c.get('state');
    const status = c.res.status;
    const write = () => {
      try {
        logger(scrubbed({
          time: new Date(clock()).toISOString(),
          token: state.token,
          method: c.req.method,
          route: new URL(c.req.url).pathname.slice(0, 200),
          status,
          ms: Math.max(0, clock() - state.startedAt),
          cost_usd: state.log.cost_usd ?? 0,
          images: state.log.images ?? 0,
          request_id: state.requestId,
          ...state.log,
        }, secrets));
      } catch {
        // A failing log sink must not fail (or crash) the request.
      }
    };
    if (state.done) {
      const logged = state.done.then(write, write);
      state.waitUntil?.(logged);
    } else write();
  };
}
