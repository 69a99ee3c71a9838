// Test stack: the fake OpenAI server, the backend on port 0 pointed at it, captured log lines,
// and official-SDK clients for the backend. Only tests import this.
import OpenAI from 'openai';
import { startFakeOpenAI, DEFAULT_API_KEY, type FakeOpenAI, type FakeOpenAIOptions } from '../../test/fake-openai/server';
import type { AppDeps } from '../app';
import type { BackendConfig } from '../config/load-config';
import type { Limits } from '../config/limits';
import { jsonLogger, type RequestLogLine } from '../http/request-log';
import type { RunningServer } from '../platform/node-server';
import { startServer } from './start-server';
import { MemoryStore, type Store } from '../store';

/** Limits with nothing limited: suites fire many requests a minute. */
export const UNLIMITED: Limits = { rpm: null, dailyImages: null, monthlyBudgetMicros: null };

export const ALICE_SECRET = 'ff-alice-0123456789abcdef';
export const BOB_SECRET = 'ff-bob-fedcba9876543210';

export function testConfig(overrides: Partial<BackendConfig> = {}): BackendConfig {
  return {
    openaiApiKey: DEFAULT_API_KEY,
    openaiBaseUrl: undefined,
    tokens: [
      { name: 'alice', secret: ALICE_SECRET },
      { name: 'bob', secret: BOB_SECRET },
    ],
    model: 'gpt-image-2',
    allowedModels: ['gpt-image-2'],
    port: 0,
    host: '127.0.0.1',
    upstreamTimeoutMs: 10_000,
    upstreamRetries: 0,
    maxImageBytes: 10 * 1024 * 1024,
    maxRequestBytes: 25 * 1024 * 1024,
    logPrompts: false,
    // No limits unless a test sets them: suites fire many requests a minute.
    limits: { defaults: UNLIMITED, perToken: {} },
    resultTtlSeconds: 3_600,
    maxResultBytes: 64 * 1024 * 1024,
    memoryResultBytes: 64 * 1024 * 1024,
    ...overrides,
  };
}

export interface Stack {
  fake: FakeOpenAI;
  backend: RunningServer;
  /** backend origin, no /v1 */
  url: string;
  config: BackendConfig;
  /** the backend's store (counters, results); a MemoryStore unless deps.store was given */
  store: Store;
  /** raw JSON log lines, as a log collector would see them */
  logText: string[];
  /** server-side failure lines (what the backend writes to stderr), captured instead of printed */
  errorLines: string[];
  logs(): RequestLogLine[];
  /** the official SDK pointed at the backend with a client secret */
  client(secret?: string): OpenAI;
  /** fetch against the backend with alice's token unless headers say otherwise */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** resolves once `count` log lines exist (streams log when they end); bounded */
  waitForLogs(count: number, timeoutMs?: number): Promise<RequestLogLine[]>;
  close(): Promise<void>;
}

export interface StackOptions {
  config?: Partial<BackendConfig>;
  fake?: FakeOpenAIOptions;
  deps?: AppDeps;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const fake = await startFakeOpenAI({ latencyMs: 5, partialIntervalMs: 2, ...options.fake });
  const config = testConfig({ openaiBaseUrl: fake.url, ...options.config });
  const logText: string[] = [];
  const errorLines: string[] = [];
  const store = options.deps?.store ?? new MemoryStore({ maxEvictableBytes: config.memoryResultBytes, maxEvictableBytesPerGroup: config.memoryResultBytesPerToken ?? config.memoryResultBytes });
  const backend = await startServer(config, { logger: jsonLogger((t) => logText.push(t)), errorLog: (line) => errorLines.push(line), ...options.deps, store });
  const logs = () => logText.map((t) => JSON.parse(t) as RequestLogLine);
  return {
    fake,
    backend,
    url: backend.url,
    config,
    store,
    logText,
    errorLines,
    logs,
    client: (secret = ALICE_SECRET) => new OpenAI({ apiKey: secret, baseURL: `${backend.url}/v1`, maxRetries: 0, timeout: 20_000 }),
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${ALICE_SECRET}`);
      return fetch(`${backend.url}${path}`, { ...init, headers });
    },
    async waitForLogs(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (logText.length < count && Date.now() < deadline) await sleep(10);
      return logs();
    },
    async close() {
      await backend.close(0); // tests do not wait for clients that left sockets half-open

      await fake.close();
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves when `check` is true, polling; false when `timeoutMs` passes first. */
export async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(10);
  }
  return check();
}

export function decodeB64(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/** Builds a multipart body for /v1/images/edits by hand (fields as text, files as blobs). */
export function editForm(fields: Record<string, string>, files: Array<{ field: string; bytes: Uint8Array; name?: string; type?: string }>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append(f.field, new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name ?? 'upload.bin');
  return form;
}
