// What counts as a correct answer to a hostile request, and a bounded worker pool to send them.
import { errorBodySchema } from '../../backend/contract';
import type { FuzzCase } from './fuzz-cases';
import type { RawExchange, RawResponse } from './raw-http';

export type Outcome =
  /** the app answered (x-request-id present) */
  | 'app'
  /** Node's HTTP parser or the Hono adapter refused the request before the app saw it (still a JSON error) */
  | 'protocol'
  /** no answer: the server hung up, or (mayHang) is still waiting for a body that never comes */
  | 'silent';

export interface Verdict {
  outcome: Outcome;
  status: number | null;
  /** null when the answer is acceptable */
  problem: string | null;
}

export function judge(c: FuzzCase, ex: RawExchange, secrets: readonly string[]): Verdict {
  const res = ex.response;
  if (!res) {
    if (c.mayHang) return { outcome: 'silent', status: null, problem: null };
    if (c.protocol && !ex.timedOut) return { outcome: 'silent', status: null, problem: null };
    return { outcome: 'silent', status: null, problem: `no response (${ex.error ?? 'unknown'})` };
  }
  const status = res.status;
  const outcome: Outcome = res.headers['x-request-id'] ? 'app' : 'protocol';
  const fail = (problem: string): Verdict => ({ outcome, status, problem });
  if (status >= 500) return fail(`${status}: ${res.body.toString('utf8').slice(0, 300)}`);
  const text = res.body.toString('latin1');
  for (const secret of secrets) if (text.includes(secret)) return fail(`response contains a secret (${secret.slice(0, 6)}…)`);
  if (status < 200 || (status >= 300 && status < 400)) return fail(`unexpected status ${status}`);
  if (outcome === 'protocol') {
    if (!c.protocol || status < 400) return fail(`${status} answered outside the app (no x-request-id)`);
    // Refused by Node's parser or the adapter before the app ran: still a JSON error that says
    // why, with CORS (the panel must be able to read it) and nosniff, on a closing connection.
    const problem = jsonErrorProblem(res, ex, c.head === true);
    if (problem) return fail(`refused outside the app: ${problem}`);
    if (res.headers['access-control-allow-origin'] !== '*') return fail('refused outside the app without CORS headers');
    if (res.headers['x-content-type-options'] !== 'nosniff') return fail('refused outside the app without X-Content-Type-Options: nosniff');
    if (!/close/i.test(res.headers.connection ?? '')) return fail('refused outside the app without Connection: close');
    return { outcome, status, problem: null };
  }
  if (status >= 400) {
    if (c.mustPass) return fail(`a valid request failed: ${status} ${res.body.toString('utf8').slice(0, 300)}`);
    const problem = jsonErrorProblem(res, ex, c.head === true);
    return problem ? fail(problem) : { outcome, status, problem: null };
  }
  // 2xx
  if (!c.mayPass && !c.mustPass) return fail(`accepted (${status}): ${res.body.toString('utf8').slice(0, 200)}`);
  if (c.mustPass && !res.complete) return fail(`response cut short: ${ex.error}`);
  return { outcome, status, problem: null };
}

/** Why a 4xx answer is not a complete OpenAI-style JSON error; null when it is one. */
function jsonErrorProblem(res: RawResponse, ex: RawExchange, head: boolean): string | null {
  if (head) return null;
  if (!res.complete) return `error body cut short (${ex.error})`;
  if (!/application\/json/i.test(res.headers['content-type'] ?? '')) return `error is ${res.headers['content-type'] ?? 'untyped'}, not JSON`;
  let body: unknown;
  try {
    body = JSON.parse(res.body.toString('utf8'));
  } catch {
    return `error body is not JSON: ${res.body.toString('utf8').slice(0, 200)}`;
  }
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return `error body is not {error:{message,type,param,code}}: ${JSON.stringify(body).slice(0, 200)}`;
  if (parsed.data.error.message.trim() === '') return 'error message is empty';
  return null;
}

/** Pulls items from `source` and runs `fn` on each, at most `concurrency` at a time. */
export async function runPool<T>(source: Iterable<T>, concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  const iterator = source[Symbol.iterator]();
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) await fn(next.value);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** At most `limit` holders at once. */
export function semaphore(limit: number): <R>(job: () => Promise<R>) => Promise<R> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (job) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await job();
    } finally {
      // Hand the slot straight to the next waiter, so no newcomer can slip in between.
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
