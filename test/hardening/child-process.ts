// Starts test/hardening/backend-child.ts (the backend alone in a child process) and the fake
// OpenAI server (test/fake-openai/serve.ts) as child processes, for measurements that must not
// count the client's memory. Everything here is bounded: start-up waits time out, stop() kills.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { NODE_FLAGS } from '../../scripts/build-backend.mjs';
import { procMemory, type ProcMemory } from './proc-memory';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BACKEND_CHILD = fileURLToPath(new URL('./backend-child.ts', import.meta.url));
const FAKE_SERVE = fileURLToPath(new URL('../fake-openai/serve.ts', import.meta.url));

export interface ChildMemoryReport {
  gcAvailable: boolean;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface BackendProcess {
  url: string;
  pid: number;
  /** stdout/stderr lines kept for diagnostics (the last 200 of each) */
  stdout: string[];
  stderr: string[];
  /** statuses of the backend's request log lines (JSON on stdout), counted */
  loggedStatuses: Map<number, number>;
  /** request log lines with status >= 500 (the first 50) */
  loggedServerErrors: string[];
  /** true until the process exits */
  alive(): boolean;
  exitCode(): number | null;
  memory(): ProcMemory;
  /** full GC in the child, then its own memory figures */
  gc(timeoutMs?: number): Promise<ChildMemoryReport>;
  /** the child's own memory figures as they are (no GC): heap vs external vs array buffers */
  usage(timeoutMs?: number): Promise<ChildMemoryReport>;
  stop(): Promise<void>;
}

function keepLines(stream: NodeJS.ReadableStream | null, into: string[], onLine?: (line: string) => void, max = 200): void {
  let partial = '';
  stream?.setEncoding?.('utf8');
  stream?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      onLine?.(line);
      into.push(line);
      if (into.length > max) into.shift();
    }
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess, graceful: () => void, timeoutMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  graceful();
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited(child);
  clearTimeout(timer);
}

export interface BundledChild {
  /** an .mjs with the backend and its dependencies, for plain `node` */
  file: string;
  dispose(): void;
}

/**
 * backend-child.ts bundled (dependencies included) into a temporary directory, so it runs on
 * plain node as a deployed backend would: tsx alone adds ~50 MB of resident memory.
 */
export async function bundleBackendChild(): Promise<BundledChild> {
  const dir = mkdtempSync(join(tmpdir(), 'framefill-backend-'));
  const file = join(dir, 'backend-child.mjs');
  await esbuild.build({
    entryPoints: [BACKEND_CHILD],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    // Bundled CommonJS dependencies call require(); give the ES module one.
    banner: { js: "import { createRequire as __ffCreateRequire } from 'node:module'; const require = __ffCreateRequire(import.meta.url);" },
  });
  return { file, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The backend in a child process. `env` is its whole configuration (OPENAI_API_KEY,
 * OPENAI_BASE_URL, FRAMEFILL_TOKENS, …); PORT/HOST default to 0 and 127.0.0.1. Runs the
 * TypeScript through tsx unless `bundle` (from bundleBackendChild) is given.
 */
export async function startBackendProcess(env: Record<string, string>, options: { bundle?: BundledChild; startTimeoutMs?: number } = {}): Promise<BackendProcess> {
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  // Launched as production launches it (NODE_FLAGS), so the bench measures what is deployed.
  const args = [...NODE_FLAGS, '--expose-gc', ...(options.bundle ? [options.bundle.file] : ['--import', 'tsx', BACKEND_CHILD])];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const loggedStatuses = new Map<number, number>();
  const loggedServerErrors: string[] = [];
  keepLines(child.stdout, stdout, (line) => {
    if (!line.startsWith('{')) return;
    try {
      const status = (JSON.parse(line) as { status?: unknown }).status;
      if (typeof status !== 'number') return;
      loggedStatuses.set(status, (loggedStatuses.get(status) ?? 0) + 1);
      if (status >= 500 && loggedServerErrors.length < 50) loggedServerErrors.push(line);
    } catch {
      // not a log line
    }
  });
  keepLines(child.stderr, stderr);
  const memoryWaiters: Array<(m: ChildMemoryReport) => void> = [];
  child.on('message', (m: { type?: string }) => {
    if (m?.type === 'memory') memoryWaiters.shift()?.(m as unknown as ChildMemoryReport);
  });

  const ready = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`backend child did not start within ${startTimeoutMs} ms; stderr: ${stderr.join('\n')}`));
    }, startTimeoutMs);
    child.on('message', (m: { type?: string; url?: string; pid?: number }) => {
      if (m?.type !== 'ready') return;
      clearTimeout(timer);
      resolve({ url: m.url!, pid: m.pid! });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`backend child exited (${code}) before it was ready; stderr: ${stderr.join('\n')}`));
    });
  });

  // Answers come back in the order asked (one IPC channel, handled in order).
  const ask = (type: 'gc' | 'usage', timeoutMs: number) =>
    new Promise<ChildMemoryReport>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`backend child did not answer ${type}`)), timeoutMs);
      memoryWaiters.push((m) => {
        clearTimeout(timer);
        resolve(m);
      });
      child.send({ type });
    });

  return {
    url: ready.url,
    pid: ready.pid,
    stdout,
    stderr,
    loggedStatuses,
    loggedServerErrors,
    alive: () => child.exitCode === null && child.signalCode === null,
    exitCode: () => child.exitCode,
    memory: () => procMemory(ready.pid),
    gc: (timeoutMs = 5_000) => ask('gc', timeoutMs),
    usage: (timeoutMs = 5_000) => ask('usage', timeoutMs),
    stop: () => stopChild(child, () => child.connected && child.send({ type: 'stop' })),
  };
}

export interface FakeProcess {
  /** base URL including /v1 */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The fake OpenAI server in a child process (its own event loop and memory). */
export async function startFakeProcess(options: { apiKey: string; latencyMs: number }, startTimeoutMs = 20_000): Promise<FakeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', FAKE_SERVE], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', FAKE_OPENAI_KEY: options.apiKey, FAKE_OPENAI_LATENCY_MS: String(options.latencyMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  keepLines(child.stderr, stderr);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fake OpenAI did not start within ${startTimeoutMs} ms; stderr: ${stderr.join('\n')}`));
    }, startTimeoutMs);
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const match = /fake-openai listening on (\S+)/.exec(buffered);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fake OpenAI exited (${code}) before it was ready; stderr: ${stderr.join('\n')}`));
    });
  });
  return { url, pid: child.pid!, stop: () => stopChild(child, () => child.kill('SIGTERM')) };
}

/**
 * No rate limit, daily image limit, budget or auth-failure throttle (backend/config/limits.ts, load-config.ts): measurements and fuzzing must
 * never be refused by them (they have their own tests).
 */
export function unlimitedEnv(): Record<string, string> {
  return {
    FRAMEFILL_RATE_LIMIT_RPM: 'none',
    FRAMEFILL_DAILY_IMAGES: 'none',
    FRAMEFILL_MONTHLY_BUDGET_USD: 'none',
    // fuzzing sends many wrong tokens from 127.0.0.1; the throttle has its own test (test/faults/intake.test.ts)
    FRAMEFILL_AUTH_FAILURES_PER_MINUTE: '1000000',
  };
}
