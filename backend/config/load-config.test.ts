// Environment → configuration, and the Node entry refusing to start on a bad one.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors';
import { loadConfig, parseTokens } from './load-config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KEY = { OPENAI_API_KEY: 'sk-test' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const { config, warnings } = loadConfig({ ...KEY, FRAMEFILL_TOKENS: 'alice:0123456789abcdef0123' });
    expect(config).toEqual({
      openaiApiKey: 'sk-test',
      openaiBaseUrl: undefined,
      tokens: [{ name: 'alice', secret: '0123456789abcdef0123' }],
      model: 'gpt-image-2',
      allowedModels: ['gpt-image-2'],
      port: 8787,
      host: '127.0.0.1',
      shutdownGraceMs: 10_000,
      upstreamTimeoutMs: 300_000,
      upstreamRetries: 2,
      maxImageBytes: 10 * 1024 * 1024,
      maxRequestBytes: 25 * 1024 * 1024,
      logPrompts: false,
      limits: { defaults: { rpm: 60, dailyImages: 500, monthlyBudgetMicros: null }, perToken: {} },
      resultTtlSeconds: 3_600,
      maxResultBytes: 64 * 1024 * 1024,
      memoryResultBytes: 64 * 1024 * 1024,
      memoryResultBytesPerToken: 32 * 1024 * 1024,
      ceilings: { xhigh: 0.45, max: 0.9 },
      intake: {
        maxInFlightRequests: 512,
        maxInFlightRequestsPerToken: 256,
        maxInFlightBodyBytes: 150 * 1024 * 1024,
        maxInFlightBodyBytesPerToken: 50 * 1024 * 1024,
        headersTimeoutMs: 20_000,
        bodyTimeoutMs: 120_000,
        authFailuresPerMinute: 20,
      },
      batch: { discount: 0.5, resultTtlSeconds: 7 * 86_400, pollSeconds: 60, maxItems: 500 },
      resultSpill: { bytes: 2 * 1024 * 1024 * 1024 },
    });
    expect(warnings).toEqual([]);
  });

  it('reads every variable', () => {
    const { config } = loadConfig({
      ...KEY,
      OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1/',
      FRAMEFILL_TOKENS: ' a:secret-aaaaaaaaaaaaaaaa , b:secret:with:colons-bbbb ,',
      FRAMEFILL_MODEL: 'gpt-image-2-2026-04-21',
      FRAMEFILL_ALLOWED_MODELS: 'gpt-image-2, gpt-image-2-2026-04-21',
      PORT: '0',
      HOST: '0.0.0.0',
      FRAMEFILL_UPSTREAM_TIMEOUT_MS: '1000',
      FRAMEFILL_UPSTREAM_RETRIES: '0',
      FRAMEFILL_MAX_IMAGE_BYTES: '100',
      FRAMEFILL_MAX_REQUEST_BYTES: '200',
      FRAMEFILL_LOG_PROMPTS: '1',
      FRAMEFILL_RATE_LIMIT_RPM: 'none',
      FRAMEFILL_DAILY_IMAGES: '40',
      FRAMEFILL_MONTHLY_BUDGET_USD: '12.50',
      FRAMEFILL_LIMITS: 'b:rpm=5;budget=none',
      FRAMEFILL_RESULT_TTL_SECONDS: '600',
      FRAMEFILL_MAX_RESULT_BYTES: '0',
      FRAMEFILL_MEMORY_RESULT_BYTES: '1000',
      FRAMEFILL_RESULT_SPILL_BYTES: '5000',
      FRAMEFILL_RESULT_SPILL_DIR: ' /var/tmp ',
      FRAMEFILL_XHIGH_USD_PER_IMAGE: '0.6',
      FRAMEFILL_MAX_USD_PER_IMAGE: '1.25',
      FRAMEFILL_MODERATION: 'low',
      FRAMEFILL_USER_ID_SECRET: 'user-id-key',
    });
    expect(config).toMatchObject({
      ceilings: { xhigh: 0.6, max: 1.25 },
      moderation: 'low',
      userIdSecret: 'user-id-key',
      openaiBaseUrl: 'http://127.0.0.1:9999/v1',
      tokens: [{ name: 'a', secret: 'secret-aaaaaaaaaaaaaaaa' }, { name: 'b', secret: 'secret:with:colons-bbbb' }],
      model: 'gpt-image-2-2026-04-21',
      allowedModels: ['gpt-image-2', 'gpt-image-2-2026-04-21'],
      port: 0,
      host: '0.0.0.0',
      upstreamTimeoutMs: 1000,
      upstreamRetries: 0,
      maxImageBytes: 100,
      maxRequestBytes: 200,
      logPrompts: true,
      limits: {
        defaults: { rpm: null, dailyImages: 40, monthlyBudgetMicros: 12_500_000 },
        perToken: { b: { rpm: 5, dailyImages: 40, monthlyBudgetMicros: null } },
      },
      resultTtlSeconds: 600,
      maxResultBytes: 0,
      memoryResultBytes: 1000,
      resultSpill: { bytes: 5000, dir: '/var/tmp' },
    });
  });

  it('reads the overnight batch settings and refuses a discount above 1 or a retention under 7 days', () => {
    const { config } = loadConfig({ ...KEY, FRAMEFILL_BATCH_DISCOUNT: '0.45', FRAMEFILL_BATCH_RESULT_TTL_SECONDS: '1209600', FRAMEFILL_BATCH_POLL_SECONDS: '30', FRAMEFILL_BATCH_MAX_ITEMS: '200' });
    expect(config.batch).toEqual({ discount: 0.45, resultTtlSeconds: 1_209_600, pollSeconds: 30, maxItems: 200 });
    expect(() => loadConfig({ ...KEY, FRAMEFILL_BATCH_DISCOUNT: '1.5' })).toThrow(/FRAMEFILL_BATCH_DISCOUNT must be a fraction above 0 and at most 1/);
    expect(() => loadConfig({ ...KEY, FRAMEFILL_BATCH_RESULT_TTL_SECONDS: '3600' })).toThrow(/FRAMEFILL_BATCH_RESULT_TTL_SECONDS/);
  });

  it('reads the intake caps and timeouts, and warns when a cap cannot fit one request of the largest size', () => {
    const { config, warnings } = loadConfig({
      ...KEY,
      FRAMEFILL_TOKENS: 'alice:0123456789abcdef0123',
      FRAMEFILL_MAX_REQUEST_BYTES: '1000',
      FRAMEFILL_MAX_IMAGE_BYTES: '500',
      FRAMEFILL_MAX_INFLIGHT_REQUESTS: '9',
      FRAMEFILL_MAX_INFLIGHT_REQUESTS_PER_TOKEN: '3',
      FRAMEFILL_MAX_INFLIGHT_BODY_BYTES: '5000',
      FRAMEFILL_MAX_INFLIGHT_BODY_BYTES_PER_TOKEN: '999',
      FRAMEFILL_HEADERS_TIMEOUT_MS: '5000',
      FRAMEFILL_BODY_TIMEOUT_MS: '2000',
      FRAMEFILL_AUTH_FAILURES_PER_MINUTE: '7',
      FRAMEFILL_MEMORY_RESULT_BYTES_PER_TOKEN: '123',
    });
    expect(config.intake).toEqual({
      maxInFlightRequests: 9,
      maxInFlightRequestsPerToken: 3,
      maxInFlightBodyBytes: 5000,
      maxInFlightBodyBytesPerToken: 999,
      headersTimeoutMs: 2000,
      bodyTimeoutMs: 2000,
      authFailuresPerMinute: 7,
    });
    expect(config.memoryResultBytesPerToken).toBe(123);
    expect(warnings).toEqual([
      expect.stringMatching(/FRAMEFILL_MAX_INFLIGHT_BODY_BYTES.*always be refused/),
      expect.stringMatching(/FRAMEFILL_HEADERS_TIMEOUT_MS exceeds FRAMEFILL_BODY_TIMEOUT_MS/),
    ]);
    expect(() => loadConfig({ ...KEY, FRAMEFILL_BODY_TIMEOUT_MS: '10' })).toThrow(/FRAMEFILL_BODY_TIMEOUT_MS must be a whole number between 1000/);
  });

  it('reads the shutdown grace (10 s unless told; 0 cuts at once) and refuses a value that is not a duration', () => {
    const base = { ...KEY, FRAMEFILL_TOKENS: 'alice:0123456789abcdef0123' };
    expect(loadConfig(base).config.shutdownGraceMs).toBe(10_000);
    expect(loadConfig({ ...base, FRAMEFILL_SHUTDOWN_GRACE_MS: '25000' }).config.shutdownGraceMs).toBe(25_000);
    expect(loadConfig({ ...base, FRAMEFILL_SHUTDOWN_GRACE_MS: '0' }).config.shutdownGraceMs).toBe(0);
    expect(() => loadConfig({ ...base, FRAMEFILL_SHUTDOWN_GRACE_MS: '10s' })).toThrow(/FRAMEFILL_SHUTDOWN_GRACE_MS must be a whole number/);
  });

  it.each([
    ['no OpenAI key', {}, /OPENAI_API_KEY/],
    ['token without colon', { ...KEY, FRAMEFILL_TOKENS: 'alice' }, /entry 1 is not a name:secret/],
    ['token with empty secret', { ...KEY, FRAMEFILL_TOKENS: 'alice:' }, /empty secret/],
    ['token with bad name', { ...KEY, FRAMEFILL_TOKENS: 'al ice:x' }, /invalid name/],
    ['duplicate names', { ...KEY, FRAMEFILL_TOKENS: 'a:xxxxxxxx,a:yyyyyyyy' }, /used twice/],
    ['shared secret', { ...KEY, FRAMEFILL_TOKENS: 'a:xxxxxxxx,b:xxxxxxxx' }, /reuses/],
    ['bad port', { ...KEY, PORT: 'eighty' }, /PORT/],
    ['negative timeout', { ...KEY, FRAMEFILL_UPSTREAM_TIMEOUT_MS: '-5' }, /FRAMEFILL_UPSTREAM_TIMEOUT_MS/],
    ['bad base URL', { ...KEY, OPENAI_BASE_URL: 'ftp://x' }, /OPENAI_BASE_URL/],
    ['default model not allowed', { ...KEY, FRAMEFILL_ALLOWED_MODELS: 'gpt-image-2.5-flare' }, /FRAMEFILL_MODEL \(gpt-image-2\) must be one of FRAMEFILL_ALLOWED_MODELS/],
    ['an allowed model outside the catalog', { ...KEY, FRAMEFILL_ALLOWED_MODELS: 'gpt-image-2,gpt-image-1' }, /FRAMEFILL_ALLOWED_MODELS: unknown model "gpt-image-1"\. Framefill knows gpt-image-2, gpt-image-2-2026-04-21, gpt-image-2\.5-flare/],
    ['a default model outside the catalog', { ...KEY, FRAMEFILL_MODEL: 'dall-e-3' }, /FRAMEFILL_MODEL: unknown model "dall-e-3"\. Framefill knows .*gpt-image-2\.5-sunburst-2026-09-08/],
    ['a zero ceiling', { ...KEY, FRAMEFILL_XHIGH_USD_PER_IMAGE: '0' }, /FRAMEFILL_XHIGH_USD_PER_IMAGE must be a positive amount/],
    ['a ceiling that is not a number', { ...KEY, FRAMEFILL_MAX_USD_PER_IMAGE: '$1' }, /FRAMEFILL_MAX_USD_PER_IMAGE must be a positive amount/],
    ['a negative ceiling', { ...KEY, FRAMEFILL_MAX_USD_PER_IMAGE: '-0.5' }, /FRAMEFILL_MAX_USD_PER_IMAGE/],
    ['an absurd ceiling', { ...KEY, FRAMEFILL_XHIGH_USD_PER_IMAGE: '450' }, /at most 100/],
    ['an unknown moderation pin', { ...KEY, FRAMEFILL_MODERATION: 'high' }, /FRAMEFILL_MODERATION must be auto or low/],
    ['bad log flag', { ...KEY, FRAMEFILL_LOG_PROMPTS: 'yes' }, /FRAMEFILL_LOG_PROMPTS/],
    ['limits for an unknown token', { ...KEY, FRAMEFILL_TOKENS: 'a:xxxxxxxx', FRAMEFILL_LIMITS: 'b:rpm=1' }, /"b", which is not a token/],
    ['a result TTL under a minute', { ...KEY, FRAMEFILL_RESULT_TTL_SECONDS: '5' }, /FRAMEFILL_RESULT_TTL_SECONDS/],
    ['a negative memory cap on results', { ...KEY, FRAMEFILL_MEMORY_RESULT_BYTES: '-1' }, /FRAMEFILL_MEMORY_RESULT_BYTES/],
  ])('refuses %s with a clear message', (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each([
    ['a name used twice', 'alice:topsecretvalue1234,alice:othersecret5678'],
    ['a reused secret', 'alice:topsecretvalue1234,bob:topsecretvalue1234'],
    ['an empty name', ':topsecretvalue1234'],
  ])('never puts a secret in a token error (%s)', (_case, raw) => {
    // Caught outside the call so a parseTokens that stops throwing fails the test.
    let thrown: unknown = null;
    try {
      parseTokens(raw);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(String(thrown)).not.toContain('topsecret');
    expect(String(thrown)).not.toContain('othersecret');
  });

  it('offers the 2.5 family and snapshots when the operator lists them; the default stays gpt-image-2', () => {
    const { config } = loadConfig({ ...KEY, FRAMEFILL_ALLOWED_MODELS: 'gpt-image-2,gpt-image-2.5-flare,gpt-image-2.5-sunburst-2026-09-08' });
    expect(config.model).toBe('gpt-image-2');
    expect(config.allowedModels).toEqual(['gpt-image-2', 'gpt-image-2.5-flare', 'gpt-image-2.5-sunburst-2026-09-08']);
    expect(config.moderation).toBeUndefined();
    expect(config.userIdSecret).toBeUndefined();
  });

  it('warns (but starts) with no tokens or short secrets', () => {
    expect(loadConfig(KEY).warnings.join(' ')).toMatch(/every request will be refused/);
    expect(loadConfig({ ...KEY, FRAMEFILL_TOKENS: 'demo:demo-token' }).warnings.join(' ')).toMatch(/shorter than 16/);
  });
});

function runNode(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'backend/platform/node.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('node entry', () => {
  it('refuses to start without OPENAI_API_KEY: exit 1 and one line on stderr', async () => {
    const { code, stdout, stderr } = await runNode({ FRAMEFILL_TOKENS: 'a:0123456789abcdef' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/OPENAI_API_KEY is not set/);
  });

  it('refuses a bad store setting the same way (one line, exit 1)', async () => {
    const { code, stderr } = await runNode({ OPENAI_API_KEY: 'sk-x', FRAMEFILL_TOKENS: 'a:0123456789abcdef', FRAMEFILL_STORE: 'redis' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^Framefill backend not started: FRAMEFILL_STORE=redis needs REDIS_URL/);
  });

  it('refuses malformed FRAMEFILL_TOKENS', async () => {
    const { code, stderr } = await runNode({ OPENAI_API_KEY: 'sk-x', FRAMEFILL_TOKENS: 'nocolon' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/FRAMEFILL_TOKENS/);
  });

  it('starts, prints the listening line, serves /healthz and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'backend/platform/node.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', FRAMEFILL_TOKENS: 'a:0123456789abcdef', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.on('exit', () => reject(new Error(`exited early: ${out}`)));
      });
      expect(line).toMatch(/^Framefill backend listening on http:\/\/127\.0\.0\.1:\d+ \(upstream http:\/\/127\.0\.0\.1:9, model gpt-image-2, 1 token\)$/);
      const url = /on (http:\/\/\S+)/.exec(line)![1]!;
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  });
});
