// Issue 11, defect 6 (and 8's error bodies): a hostile upstream that echoes the OpenAI key and an
// access secret into every field of its errors — message, code, param, type, Retry-After,
// retry-after-ms, x-request-id, an SSE error event — gets none of it to a client or into a log
// line, not even a 12-character piece; and a 50 MB error body comes back as a short message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendProcess } from '../hardening/child-process';
import { apiError, startEchoingStack, success, type EchoingStack, type EchoingUpstream, type Reply } from './echoing-upstream';

const OPENAI_KEY = 'sk-proj-Q7vX2mLp9RtY4wZa8KcN3bHd6FgJ1sEu5TiO0yWq2Lx9VbMnCr4Dt7Ak';
const ALICE = 'ff-alice-scrub-Zq8Wn3Rt6Yp1Lm4Kx7';
const SECRETS = [OPENAI_KEY, ALICE];
const PIECE = 12;

let stack: EchoingStack;
let upstream: EchoingUpstream;
let backend: BackendProcess;

beforeAll(async () => {
  stack = await startEchoingStack(OPENAI_KEY, { FRAMEFILL_TOKENS: `alice:${ALICE}`, FRAMEFILL_UPSTREAM_RETRIES: '1', FRAMEFILL_UPSTREAM_TIMEOUT_MS: '10000' });
  ({ upstream, backend } = stack);
});

afterAll(() => stack?.close());

/** Every piece of PIECE characters of every secret that occurs in `text`. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const secret of SECRETS) {
    for (let i = 0; i + PIECE <= secret.length; i++) {
      const piece = secret.slice(i, i + PIECE);
      if (text.includes(piece)) found.push(piece);
    }
  }
  return found;
}

/** The echo: the key and the access secret, whole and in pieces, in every field an error has. */
const ECHO = {
  message: `Incorrect API key provided: ${OPENAI_KEY} (token ${ALICE}); you sent ${OPENAI_KEY.slice(9, 40)}.`,
  type: OPENAI_KEY,
  code: OPENAI_KEY.slice(3, 30),
  param: ALICE,
};
const ECHO_HEADERS = {
  'retry-after': OPENAI_KEY,
  'retry-after-ms': OPENAI_KEY,
  'x-request-id': OPENAI_KEY,
  'openai-organization': OPENAI_KEY,
  'x-ratelimit-limit-requests': ALICE,
};

interface Seen {
  label: string;
  status: number;
  headers: string;
  body: string;
}

async function call(label: string, replies: Reply[], stream = false): Promise<Seen> {
  upstream.script(replies);
  const res = await fetch(`${backend.url}/v1/images/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ALICE}`, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'a lighthouse', quality: 'low', size: '1024x1024', ...(stream ? { stream: true } : {}) }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = await res.text();
  return { label, status: res.status, headers: [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n'), body };
}

describe('a hostile upstream echoing the key', () => {
  it('gets no piece of the key or an access secret into any response or log line', async () => {
    const hugeBody: Reply = { status: 404, headers: ECHO_HEADERS, repeat: { chunk: `${OPENAI_KEY} `.repeat(1024), times: 800 } };
    const seen = [
      await call('400', [apiError(400, ECHO, ECHO_HEADERS)]),
      await call('429, retried then relayed', [apiError(429, ECHO, ECHO_HEADERS), apiError(429, ECHO, ECHO_HEADERS)]),
      await call('500, retried then relayed', [apiError(500, ECHO, ECHO_HEADERS), apiError(500, ECHO, ECHO_HEADERS)]),
      await call('403', [apiError(403, ECHO, ECHO_HEADERS)]),
      await call('401', [apiError(401, ECHO, ECHO_HEADERS)]),
      await call('text error body', [{ status: 400, headers: ECHO_HEADERS, body: `bad key ${OPENAI_KEY}` }]),
      await call('SSE error event', [{ status: 200, headers: ECHO_HEADERS, events: [{ event: 'error', data: { type: 'error', error: ECHO } }] }], true),
      await call('success with a hostile x-request-id', [success(ECHO_HEADERS)]),
      await call('50 MB error body', [hugeBody]),
    ];
    // The backend wrote its log lines (streams log when they end).
    await new Promise((resolve) => setTimeout(resolve, 300));

    for (const s of seen) expect(leaks(`${s.headers}\n${s.body}`), s.label).toEqual([]);
    const logs = [...backend.stdout, ...backend.stderr].join('\n');
    expect(logs).toContain('upstream');
    expect(leaks(logs)).toEqual([]);

    // Still useful answers: statuses kept, OpenAI's error shape, retry timing only as a number.
    expect(seen.map((s) => s.status)).toEqual([400, 429, 500, 502, 502, 400, 200, 200, 404]);
    for (const s of seen.filter((x) => x.status >= 400)) {
      const error = (JSON.parse(s.body) as { error: { message: string; type: string } }).error;
      expect(error.message.length, s.label).toBeLessThanOrEqual(2_100);
      expect(typeof error.type, s.label).toBe('string');
    }
    expect(seen[1]!.headers).not.toMatch(/^retry-after-ms/m);
    expect(seen[6]!.body).toContain('event: error');
    expect(seen[8]!.body.length).toBeLessThan(4_096);

    // The upstream did get the key: it was in a position to echo it.
    expect(upstream.attempts.every((a) => a.authorized)).toBe(true);
  }, 60_000);
});
