// Requests Node's HTTP parser or the adapter refuse before the app runs still get an OpenAI-style
// JSON error with the right status, CORS and nosniff, on a connection that closes — not a bare
// status line an SDK or the panel can only report as "400 no body".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawExchange } from '../../test/hardening/raw-http';
import { errorBodySchema } from '../contract';
import { ALICE_SECRET, startStack, type Stack } from '../test-helpers/stack';

let stack: Stack;
let port: number;
beforeAll(async () => {
  stack = await startStack();
  port = Number(new URL(stack.url).port);
});
afterAll(() => stack.close());

const host = () => `Host: 127.0.0.1:${port}\r\n`;
const auth = `Authorization: Bearer ${ALICE_SECRET}\r\n`;

const cases: Array<{ name: string; raw: () => string; status: number; code: string; message: RegExp }> = [
  { name: 'unknown method', raw: () => `FOO /v1/usage HTTP/1.1\r\n${host()}${auth}\r\n`, status: 400, code: 'invalid_method', message: /method is not valid/ },
  { name: 'lower-case method', raw: () => `post /v1/images/generations HTTP/1.1\r\n${host()}${auth}Content-Length: 0\r\n\r\n`, status: 400, code: 'invalid_method', message: /upper case/ },
  { name: 'headers over 16 KB', raw: () => `GET /v1/usage HTTP/1.1\r\n${host()}Authorization: Bearer ${'k'.repeat(20 * 1024)}\r\n\r\n`, status: 431, code: 'request_headers_too_large', message: /16 KB/ },
  { name: 'Content-Length and Transfer-Encoding', raw: () => `POST /v1/images/generations HTTP/1.1\r\n${host()}${auth}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, status: 400, code: 'invalid_http_request', message: /not valid HTTP\/1\.1/ },
  { name: 'a bad chunk size', raw: () => `POST /v1/images/generations HTTP/1.1\r\n${host()}${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n`, status: 400, code: 'invalid_http_request', message: /framing/ },
  { name: 'an odd Expect', raw: () => `POST /v1/images/generations HTTP/1.1\r\n${host()}${auth}Expect: teapot\r\nContent-Length: 2\r\n\r\n{}`, status: 417, code: 'expectation_failed', message: /teapot.*100-continue/ },
  { name: 'no Host', raw: () => `GET /v1/usage HTTP/1.1\r\n${auth}\r\n`, status: 400, code: 'invalid_http_request', message: /no Host header/ },
  { name: 'a Host with a port above 65535', raw: () => `GET /v1/usage HTTP/1.1\r\nHost: 127.0.0.1:99999\r\n${auth}\r\n`, status: 400, code: 'invalid_http_request', message: /Host header is not valid/ },
  { name: 'a malformed absolute URL', raw: () => `GET http://[::1:99999/v1/usage HTTP/1.1\r\n${host()}${auth}\r\n`, status: 400, code: 'invalid_http_request', message: /URL or Host/ },
  { name: 'CONNECT', raw: () => `CONNECT 127.0.0.1:443 HTTP/1.1\r\n${host()}\r\n`, status: 405, code: 'method_not_allowed', message: /not a proxy/ },
];

describe('requests refused before the app runs', () => {
  it.each(cases)('$name → $status with a JSON error body', async ({ raw, status, code, message }) => {
    const exchange = await rawExchange(Buffer.from(raw(), 'latin1'), { port, timeoutMs: 5_000 });
    const res = exchange.response;
    expect(res, exchange.error ?? '').not.toBeNull();
    expect(res!.status).toBe(status);
    expect(res!.complete).toBe(true);
    expect(res!.headers['content-type']).toMatch(/^application\/json/);
    expect(res!.headers['access-control-allow-origin']).toBe('*');
    expect(res!.headers['x-content-type-options']).toBe('nosniff');
    expect(res!.headers.connection).toMatch(/close/i);
    const body = errorBodySchema.parse(JSON.parse(res!.body.toString('utf8')));
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
    expect(res!.body.toString('latin1')).not.toContain(ALICE_SECRET);
  });

  it('an HTTP/1.0 request without Host is still served (Host is an HTTP/1.1 rule)', async () => {
    const exchange = await rawExchange(Buffer.from(`GET /healthz HTTP/1.0\r\n\r\n`, 'latin1'), { port, timeoutMs: 5_000 });
    expect(exchange.response?.status).toBe(200);
    expect(JSON.parse(exchange.response!.body.toString('utf8'))).toEqual({ ok: true });
  });

  it('keeps serving after the refusals', async () => {
    const res = await stack.fetch('/v1/usage');
    expect(res.status).toBe(200);
  });
});
