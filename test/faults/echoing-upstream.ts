// A scripted OpenAI stand-in for fault tests: node:http on 127.0.0.1 that answers each request
// with the next scripted reply (status, headers, a body or SSE events), then with a success. It
// can say anything — a hostile upstream echoing the key into every field, a Retry-After of an
// hour — and records every attempt, so a test can tell whether the backend called again.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../support/loopback-server';
import { startBackendProcess, unlimitedEnv, type BackendProcess } from '../hardening/child-process';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** a JSON-able value (sent as JSON) or raw text */
  body?: unknown;
  /** SSE events, each `{event, data}`, sent in order after a 200 text/event-stream head */
  events?: Array<{ event: string; data: unknown }>;
  /** raw bytes to send as the body, in chunks (a huge error body without building it in one string) */
  repeat?: { chunk: string; times: number };
}

export interface Attempt {
  at: number;
  path: string;
  /** the request sent the key we expect (Authorization: Bearer …) */
  authorized: boolean;
  /** bytes of the request body (known once it was read) */
  bytes: number;
}

export interface EchoingUpstream {
  /** base URL including /v1 */
  url: string;
  attempts: Attempt[];
  /** replies for the next requests, in order; afterwards every request gets `success()` */
  script(replies: Reply[]): void;
  close(): Promise<void>;
}

/** A 1×1 PNG: enough for the backend, which never decodes images. */
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const USAGE = { input_tokens: 10, input_tokens_details: { image_tokens: 0, text_tokens: 10 }, output_tokens: 272, output_tokens_details: { image_tokens: 272, text_tokens: 0 }, total_tokens: 282 };

/** OpenAI's answer to a one-image, non-stream request. */
export function success(headers: Record<string, string> = {}): Reply {
  return { status: 200, headers, body: { created: 1, data: [{ b64_json: PIXEL }], usage: USAGE } };
}

/** OpenAI's error shape. */
export function apiError(status: number, error: Record<string, unknown>, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: { error } };
}

function drain(req: IncomingMessage, attempt: Attempt): Promise<void> {
  return new Promise((resolve) => {
    req.on('data', (chunk: Buffer) => (attempt.bytes += chunk.length));
    req.on('end', resolve);
    req.on('error', () => resolve());
  });
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

async function send(res: ServerResponse, reply: Reply): Promise<void> {
  if (reply.events) {
    res.writeHead(reply.status, { 'content-type': 'text/event-stream', ...reply.headers });
    for (const e of reply.events) res.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
    res.end();
    return;
  }
  if (reply.repeat) {
    res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
    for (let i = 0; i < reply.repeat.times && !res.destroyed; i++) {
      // Respect back-pressure so a huge body is not buffered here either.
      if (!res.write(reply.repeat.chunk)) await drained(res);
    }
    res.end();
    return;
  }
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
  res.writeHead(reply.status, { 'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json', ...reply.headers });
  res.end(text);
}

export async function startEchoingUpstream(apiKey: string): Promise<EchoingUpstream> {
  const attempts: Attempt[] = [];
  let queue: Reply[] = [];
  const server = createServer((req, res) => {
    const attempt: Attempt = { at: Date.now(), path: req.url ?? '', authorized: req.headers.authorization === `Bearer ${apiKey}`, bytes: 0 };
    attempts.push(attempt);
    const reply = queue.shift() ?? success();
    void drain(req, attempt).then(() => send(res, reply)).catch(() => res.destroy());
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    attempts,
    script(replies) {
      queue = [...replies];
    },
    close,
  };
}

export interface EchoingStack {
  upstream: EchoingUpstream;
  /** a real backend process pointed at `upstream` */
  backend: BackendProcess;
  close(): Promise<void>;
}

/** The stub and a backend process in front of it; `env` adds to (or overrides) unlimited limits. */
export async function startEchoingStack(apiKey: string, env: Record<string, string>): Promise<EchoingStack> {
  const upstream = await startEchoingUpstream(apiKey);
  try {
    const backend = await startBackendProcess({ OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: upstream.url, ...unlimitedEnv(), ...env });
    return {
      upstream,
      backend,
      close: async () => {
        await backend.stop();
        await upstream.close();
      },
    };
  } catch (err) {
    await upstream.close();
    throw err;
  }
}
