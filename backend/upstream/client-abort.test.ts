// A client that hangs up while its request body is still coming in is not a server failure: the
// request is logged as 499 (client closed request) with error client_closed_request, never as
// a 5xx that would page whoever runs the backend.
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALICE_SECRET, sleep, startStack, type Stack } from '../test-helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.fake.reset();
  stack.logText.length = 0;
});

/** Sends the head and part of the body on a raw socket, waits a moment, then hangs up. */
async function hangUpMidBody(path: string, contentType: string, framing: 'content-length' | 'chunked', partial: string): Promise<void> {
  const port = Number(new URL(stack.url).port);
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  const length = framing === 'content-length' ? 'Content-Length: 100000' : 'Transfer-Encoding: chunked';
  const body = framing === 'content-length' ? partial : `${Buffer.byteLength(partial).toString(16)}\r\n${partial}\r\n`;
  socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${ALICE_SECRET}\r\nContent-Type: ${contentType}\r\n${length}\r\n\r\n${body}`);
  await sleep(50);
  socket.destroy();
}

describe('a client hanging up mid-body', () => {
  const cases = [
    { name: 'generations, Content-Length', path: '/v1/images/generations', type: 'application/json', framing: 'content-length' as const, partial: '{"prompt":"a fox' },
    { name: 'generations, chunked', path: '/v1/images/generations', type: 'application/json', framing: 'chunked' as const, partial: '{"prompt":"a fox' },
    { name: 'edits, Content-Length', path: '/v1/images/edits', type: 'multipart/form-data; boundary=xyz', framing: 'content-length' as const, partial: '--xyz\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nnight' },
    { name: 'edits, chunked', path: '/v1/images/edits', type: 'multipart/form-data; boundary=xyz', framing: 'chunked' as const, partial: '--xyz\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nnight' },
  ];

  it.each(cases)('is logged as 499 client_closed_request, not a 5xx: $name', async ({ path, type, framing, partial }) => {
    await hangUpMidBody(path, type, framing, partial);
    const logs = await stack.waitForLogs(1);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ route: path, status: 499, error: 'client_closed_request', token: 'alice' });
    expect(stack.fake.requests).toHaveLength(0);
  });
});
