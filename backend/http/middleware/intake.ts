// Admission of an authenticated request before its body is read: it takes a place among the
// requests in flight and its declared body's bytes among the bodies held (in-flight.ts), or gets
// 429 with Retry-After and its body drained unread. A chunked body counts as it streams in and is
// refused the same way once it would pass a cap. The places are given back when the request is
// over: body bytes once the handler has answered, the request itself when its stream ends.
//
// Slow bodies: on Node the server cuts a request that has not fully arrived within
// FRAMEFILL_BODY_TIMEOUT_MS (requestTimeout, node-server.ts) without the body ever becoming a web
// stream. Wherever the body is a stream the app reads (other platforms, chunked uploads), the
// same deadline is kept here: the stream fails and the answer is 408.
import type { MiddlewareHandler } from 'hono';
import type { IntakeConfig } from '../../config/load-config';
import { type HttpError, requestTimeout, tooManyInFlight } from '../../errors';
import type { AppEnv } from '../context';
import { discard, drainUnread } from './body-limit';
import { onNode } from './client-address';
import { InFlight, type InFlightRefusal } from './in-flight';

/** Requests end at unpredictable times; a second is a fair first wait before trying again. */
const IN_FLIGHT_RETRY_SECONDS = 1;

function refusalError(refusal: InFlightRefusal, token: string): HttpError {
  return tooManyInFlight(refusal.what, refusal.scope === 'token' ? `for '${token}'` : 'on this backend', IN_FLIGHT_RETRY_SECONDS);
}

interface WatchedBody {
  stream: ReadableStream<Uint8Array>;
  timedOut(): boolean;
  /** the handler is done with the body (read or not): no deadline any more */
  stop(): void;
}

/**
 * `body` passed through chunk by chunk: each chunk is offered to `admit` (a refusal drains the
 * rest unread and fails the stream with it), and the stream fails with a 408 when it has not
 * ended `timeoutMs` after it was opened.
 */
function watchBody(body: ReadableStream<Uint8Array>, timeoutMs: number, admit: (bytes: number) => HttpError | null): WatchedBody {
  const reader = body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        timer = setTimeout(() => {
          timedOut = true;
          controller.error(requestTimeout());
          void reader.cancel().catch(() => {});
        }, timeoutMs);
      },
      async pull(controller) {
        const { done, value } = await reader.read().catch((err: unknown) => {
          clearTimeout(timer);
          throw err;
        });
        if (done) {
          clearTimeout(timer);
          controller.close();
          return;
        }
        const refused = admit(value.byteLength);
        if (refused) {
          clearTimeout(timer);
          await discard(reader, 0);
          controller.error(refused);
          return;
        }
        controller.enqueue(value);
      },
      cancel(reason) {
        clearTimeout(timer);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, timedOut: () => timedOut, stop: () => clearTimeout(timer) };
}

export function intake(caps: IntakeConfig, maxRequestBytes: number): MiddlewareHandler<AppEnv> {
  const inFlight = new InFlight(caps);
  return async function intake(c, next) {
    const state = c.get('state');
    const token = state.token ?? 'unknown';
    const raw = c.req.raw;
    const chunked = raw.headers.has('transfer-encoding');
    const declared = chunked ? 0 : Number(raw.headers.get('content-length') ?? 0);
    // A body above the request limit is refused (413) and drained, never held: count the limit.
    const upFront = Number.isFinite(declared) ? Math.min(Math.max(0, declared), maxRequestBytes) : 0;
    const ticket = inFlight.enter(token, upFront);
    if (!('leave' in ticket)) {
      await drainUnread(raw);
      throw refusalError(ticket, token);
    }
    let watched: WatchedBody | null = null;
    // On Node a body of declared length is left to the handler untouched (read straight off the
    // socket, node-server.ts cuts it when slow); any other body is watched.
    if (chunked || (upFront > 0 && !onNode(c))) {
      const body = raw.body;
      if (body) {
        let counted = 0;
        watched = watchBody(body, caps.bodyTimeoutMs, (bytes) => {
          // Declared bodies were counted up front; past the request limit a body is refused (413)
          // and drained by limitBody without being held, so that part does not count either.
          const n = chunked ? Math.min(bytes, maxRequestBytes - counted) : 0;
          if (n <= 0) return null;
          const over = ticket.addBytes(n);
          if (over) return refusalError(over, token);
          counted += n;
          return null;
        });
        c.req.raw = new Request(raw, { body: watched.stream, duplex: 'half' } as RequestInit);
      }
    }
    try {
      await next();
    } finally {
      watched?.stop();
      ticket.releaseBytes();
      if (state.done) void state.done.finally(() => ticket.leave()).catch(() => {});
      else ticket.leave();
    }
    // Whatever the handler made of its failed read (e.g. "cut off"), the body was too slow.
    if (watched?.timedOut()) c.res = requestTimeout().toResponse();
  };
}
