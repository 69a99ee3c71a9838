// Test-only: the real Node entry (backend/platform/node.ts, SIGTERM handling included) in a child
// process configured from the environment, so a fault test can kill -9 it or send it SIGTERM the
// way a platform would. Start-up is bounded; stop() kills whatever is left.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startRedisServer, type RedisServer } from '../../backend/store/test-helpers/redis-server';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai/server';
import { usageSummarySchema, type UsageSummary } from '../../backend/contract';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NODE_ENTRY = fileURLToPath(new URL('../../backend/platform/node.ts', import.meta.url));

export interface NodeEntry {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  pid: number;
  /** the last 200 stderr lines, for diagnostics */
  stderr: string[];
  /** resolves with the exit code (null when killed by a signal) */
  exited: Promise<number | null>;
  /** the exit code once exited (null when killed by a signal), undefined while running */
  exitCode(): number | null | undefined;
  signal(name: NodeJS.Signals): void;
  /** SIGKILL if still running, and wait for the exit */
  stop(): Promise<void>;
}

export async function startNodeEntry(env: Record<string, string>, startTimeoutMs = 20_000): Promise<NodeEntry> {
  const child = spawn(process.execPath, ['--import', 'tsx', NODE_ENTRY], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr.push(...chunk.split('\n').filter(Boolean));
    stderr.splice(0, Math.max(0, stderr.length - 200));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`backend did not start within ${startTimeoutMs} ms; stderr: ${stderr.join('\n')}`));
    }, startTimeoutMs);
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out = (out + chunk).slice(-10_000);
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`backend exited (${code}) before it was ready; stderr: ${stderr.join('\n')}`));
    });
  });
  // Keep reading stdout (request log lines) so the child never blocks on a full pipe.
  child.stdout.resume();
  return {
    url,
    pid: child.pid!,
    stderr,
    exited,
    exitCode: () => (child.exitCode === null && child.signalCode === null ? undefined : child.exitCode),
    signal: (name) => child.kill(name),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls `probe` every `everyMs` until it returns a value, or gives up (null) after `withinMs`. */
export async function within<T>(withinMs: number, everyMs: number, probe: () => Promise<T | null>): Promise<T | null> {
  const deadline = Date.now() + withinMs;
  for (let round = 0; round < Math.ceil(withinMs / everyMs) + 1; round++) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return null;
}

/** Two tokens, each with a monthly budget that fits one in-flight request of HIGH_TWO at a time. */
export const ALICE = 'alice-secret-1234567890';
export const BOB = 'bob-secret-1234567890';
/** Two high-quality 1024×1024 images: about $0.42 reserved, so a second one does not fit a $0.50 budget while it is held. */
const HIGH_TWO = JSON.stringify({ prompt: 'a lighthouse at dusk', quality: 'high', size: '1024x1024', n: 2 });

export interface FaultRig {
  redis: RedisServer;
  /** in this process, so a test can slow it down for one request and speed it up for the next */
  fake: FakeOpenAI;
  /** a backend instance on the shared Redis, with the given upstream timeout (and any other settings) */
  start(upstreamTimeoutMs: number, env?: Record<string, string>): Promise<NodeEntry>;
  /** POST HIGH_TWO as `secret` (with an Idempotency-Key when given) */
  post(base: string, secret: string, key?: string): Promise<Response>;
  usage(base: string, secret: string): Promise<UsageSummary>;
  close(): Promise<void>;
}

/** A real redis-server, the fake OpenAI, and Node instances on demand; close() stops them all. */
export async function startFaultRig(): Promise<FaultRig> {
  const redis = await startRedisServer();
  const fake = await startFakeOpenAI({ latencyMs: 50 });
  const instances: NodeEntry[] = [];
  return {
    redis,
    fake,
    start: async (upstreamTimeoutMs, env = {}) => {
      const instance = await startNodeEntry({
        OPENAI_API_KEY: 'sk-fake-test-key',
        OPENAI_BASE_URL: fake.url,
        FRAMEFILL_TOKENS: `alice:${ALICE},bob:${BOB}`,
        FRAMEFILL_STORE: 'redis',
        REDIS_URL: redis.url,
        FRAMEFILL_MONTHLY_BUDGET_USD: '0.50',
        FRAMEFILL_RATE_LIMIT_RPM: 'none',
        FRAMEFILL_DAILY_IMAGES: 'none',
        FRAMEFILL_UPSTREAM_TIMEOUT_MS: String(upstreamTimeoutMs),
        FRAMEFILL_UPSTREAM_RETRIES: '0',
        ...env,
      });
      instances.push(instance);
      return instance;
    },
    post: (base, secret, key) =>
      fetch(`${base}/v1/images/generations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
        body: HIGH_TWO,
        signal: AbortSignal.timeout(40_000),
      }),
    usage: async (base, secret) => usageSummarySchema.parse(await (await fetch(`${base}/v1/usage`, { headers: { authorization: `Bearer ${secret}` } })).json()),
    close: async () => {
      await Promise.all(instances.map((i) => i.stop()));
      await fake.close();
      await redis.stop();
    },
  };
}
