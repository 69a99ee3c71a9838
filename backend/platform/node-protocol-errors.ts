// Answers for requests Node refuses before the app sees them: HTTP it cannot parse (bad framing,
// headers over 16 KB, methods it does not know), an Expect it does not support, a missing or
// malformed Host, CONNECT. Node's own answers are a bare status line; these are the same
// statuses with the OpenAI-style JSON error body (and CORS + security headers) every other
// refusal has, so an SDK or the panel can show what went wrong. Node only (node-server.ts).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { applyCorsHeaders } from '../http/middleware/cors';
import {
  chunkExtensionsTooLarge,
  connectNotAllowed,
  type HttpError,
  invalidHttp,
  invalidMethod,
  missingHost,
  requestHeadersTooLarge,
  requestTimeout,
  unsupportedExpectation,
} from '../errors';
import { applySecurityHeaders } from '../http/middleware/security-headers';

/** Long enough for a client to read a refusal; a peer that never closes is cut off then. */
const LINGER_MS = 1_000;

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  417: 'Expectation Failed',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
};

/** The refusal for one of Node's parser errors (err.code HPE_*, ERR_HTTP_REQUEST_TIMEOUT, …). */
export function parseErrorToHttpError(err: { code?: unknown; reason?: unknown; message?: unknown }): HttpError {
  const code = typeof err.code === 'string' ? err.code : '';
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return requestHeadersTooLarge();
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return chunkExtensionsTooLarge();
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return requestTimeout();
    case 'HPE_INVALID_METHOD':
      return invalidMethod();
    default: {
      // Node's reason ("Invalid header value char", …) names the problem, never the request's bytes.
      const reason = typeof err.reason === 'string' ? err.reason : typeof err.message === 'string' ? err.message.replace(/^Parse Error:\s*/, '') : '';
      return invalidHttp(reason.replace(/[^\x20-\x7e]/g, '').slice(0, 120));
    }
  }
}

/** The headers of a refusal made outside the app: JSON, close, CORS and security headers. */
export function refusalHeaders(error: HttpError, bodyBytes?: number): Headers {
  const headers = new Headers(error.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  if (bodyBytes !== undefined) headers.set('content-length', String(bodyBytes));
  headers.set('connection', 'close');
  applyCorsHeaders(headers);
  applySecurityHeaders(headers);
  return headers;
}

/** A whole HTTP/1.1 response, for writing straight to a socket (no ServerResponse exists). */
export function rawRefusal(error: HttpError): Buffer {
  const body = Buffer.from(JSON.stringify(error.body()));
  const lines = [`HTTP/1.1 ${error.status} ${STATUS_TEXT[error.status] ?? 'Error'}`];
  for (const [name, value] of refusalHeaders(error, body.length)) lines.push(`${name}: ${value}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

/** The refusal as a Web Response (for @hono/node-server's errorHandler). */
export function refusalResponse(error: HttpError): Response {
  return new Response(JSON.stringify(error.body()), { status: error.status, headers: refusalHeaders(error) });
}

/** Writes the refusal through a ServerResponse (the request was parsed, the app will not run). */
export function sendRefusal(res: ServerResponse, error: HttpError): void {
  const body = Buffer.from(JSON.stringify(error.body()));
  const headers: Record<string, string> = {};
  for (const [name, value] of refusalHeaders(error, body.length)) headers[name] = value;
  res.shouldKeepAlive = false;
  res.writeHead(error.status, headers);
  res.end(body);
}

/** Writes the refusal to a bare socket when nothing has been sent on it yet, then closes it. */
function refuseOnSocket(socket: Duplex, error: HttpError): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) socket.end(rawRefusal(error));
  // Give the client a moment to read it, then let go whatever the peer does.
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/**
 * Installs the refusals on a Node HTTP server. The server must be created with
 * `requireHostHeader: false`; `guardHost` then answers a missing Host with a JSON 400.
 */
export function installProtocolRefusals(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or already closed connection has nobody to answer.
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    refuseOnSocket(socket, parseErrorToHttpError(err));
  });
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    sendRefusal(res, unsupportedExpectation(String(req.headers.expect ?? '')));
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => {});
    refuseOnSocket(socket, connectNotAllowed());
  });
}

/** Wraps a request listener: an HTTP/1.1 request without Host gets a JSON 400 (RFC 9112 §3.2). */
export function guardHost(
  listener: (req: IncomingMessage, res: ServerResponse) => unknown,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1 && !req.headers.host) {
      sendRefusal(res, missingHost());
      return;
    }
    void listener(req, res);
  };
}
