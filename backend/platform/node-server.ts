// Serving the app on Node with @hono/node-server. Separate from node.ts so tests, the bench and
// the playground can start a backend on port 0 and get its URL back (test-helpers/start-server.ts).
import { getRequestListener, RequestError, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppEnv } from '../http/context';
import { DEFAULT_SHUTDOWN_GRACE_MS, intakeDefaults, type IntakeConfig } from '../config/load-config';
import { badRequestTarget, internalError } from '../errors';
import { serverErrorLog } from '../http/server-error-log';
import { guardHost, installProtocolRefusals, refusalResponse } from './node-protocol-errors';

export interface RunningServer {
  /** e.g. http://127.0.0.1:8787 (no trailing slash, no /v1) */
  url: string;
  port: number;
  server: ServerType;
  /** stops accepting connections, ends idle ones, waits up to `graceMs` for the rest (e.g. a stream), then cuts them */
  close(graceMs?: number): Promise<void>;
}

/** Serves an already built app (node.ts builds it with createAppFromEnv). */
/** Anything with a Web-standard fetch: the Hono app, or the app wrapped (e.g. with the playground). */
export interface FetchApp {
  fetch: Hono<AppEnv>['fetch'];
}

/** How often Node checks connections against the timeouts below (its default, 30 s, would let a cut come that much late). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

export function serveApp(
  app: FetchApp,
  where: { port: number; host: string; secrets?: readonly string[]; intake?: Pick<IntakeConfig, 'headersTimeoutMs' | 'bodyTimeoutMs'> },
): Promise<RunningServer> {
  // @hono/node-server's request listener on a server of our own, so that what Node or the adapter
  // refuses before the app runs (node-protocol-errors.ts) gets a JSON error, not a bare status.
  const logServerError = serverErrorLog(where.secrets ?? []);
  const listener = getRequestListener(app.fetch, {
    hostname: where.host,
    // The adapter could not build a Request (bad Host, malformed absolute URL); anything else
    // thrown before the app returned is ours.
    errorHandler: (err) => {
      if (err instanceof RequestError) return refusalResponse(badRequestTarget());
      const error = internalError(err);
      logServerError('-', error, '500 internal_error outside the app');
      return refusalResponse(error);
    },
  });
  // requireHostHeader off: guardHost answers a missing Host itself, with a JSON body.
  // Slow headers and slow bodies are cut (408, then the connection closes, freeing what the
  // request held) instead of Node's defaults of 60 s / 300 s; the body deadline covers the
  // whole request as it arrives, not the response.
  const timeouts = where.intake ?? intakeDefaults(0);
  const server = createServer(
    {
      requireHostHeader: false,
      headersTimeout: Math.min(timeouts.headersTimeoutMs, timeouts.bodyTimeoutMs),
      requestTimeout: timeouts.bodyTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    guardHost(listener),
  );
  installProtocolRefusals(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => {
      server.off('error', reject);
      const info = server.address() as AddressInfo;
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        server,
        close: (graceMs = DEFAULT_SHUTDOWN_GRACE_MS) => closeServer(server, graceMs),
      });
    });
  });
}

function closeServer(server: ServerType, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const http = server as import('node:http').Server;
    const force = setTimeout(() => http.closeAllConnections?.(), graceMs);
    force.unref?.();
    http.close(() => {
      clearTimeout(force);
      resolve();
    });
    http.closeIdleConnections?.();
  });
}
