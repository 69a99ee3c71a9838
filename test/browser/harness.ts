// Browser-test harness: the fake OpenAI on 127.0.0.1, the real backend pointed at it, the
// playground served from the built dist/, and one headless Chromium per test file. Each test
// opens a fresh playground page whose panel is set up with the backend URL and a valid token.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { loadConfig } from '../../backend/config/load-config';
import type { RunningServer } from '../../backend/platform/node-server';
import { startServer } from '../../backend/test-helpers/start-server';
import { playgroundRoutes } from '../../backend/platform/playground';
import { createDiskSpill } from '../../backend/platform/disk-spill';
import { storeFromEnv } from '../../backend/platform/app-from-env';
import { wireApp } from '../../backend/dependencies';
import { advanceBatches } from '../../backend/batches/advance';
import type { BatchDeps } from '../../backend/batches/batch-deps';
import { DEFAULT_API_KEY, startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from '../fake-openai/server';
import type { Snapshot, SnapshotNode } from '../playground/api';
import { launchChromium } from './chromium';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'dist');
export const RESULTS = path.join(ROOT, 'test-results');
export const TEST_TOKEN = 'test-token';
/** The playground's backend offers the whole family, as `npm start`'s demo does (scripts/start.mjs). */
export const ALLOWED_MODELS = 'gpt-image-2,gpt-image-2.5-flare,gpt-image-2.5-sunburst';
const BUILT = ['code.js', 'ui.html', 'playground/index.html', 'playground/host.js', 'playground/host.css'];

/** The browser suite tests the build: fail early and clearly when it is missing. */
export function assertBuilt(): void {
  const missing = BUILT.filter((f) => !existsSync(path.join(DIST, f)));
  if (missing.length) throw new Error(`dist/ is not built (missing ${missing.join(', ')}): run \`npm run build\` before the browser tests`);
}

export interface Harness {
  fake: FakeOpenAI;
  backend: RunningServer;
  /** origin serving /playground */
  playgroundUrl: string;
  browser: Browser;
  /** a fresh playground page; `backend` overrides the URL the panel uses (default: the test backend) */
  open(options?: OpenOptions): Promise<Playground>;
  close(): Promise<void>;
}

export interface OpenOptions {
  backend?: string;
  token?: string;
  theme?: 'light' | 'dark';
}

export interface Playground {
  page: Page;
  context: BrowserContext;
  panel: FrameLocator;
  /** uncaught errors and console errors on the page and in the panel */
  errors: string[];
  snapshot(): Promise<Snapshot>;
  /** scene node ids by role (iphone, desktop, square, banner, card, group, caption) */
  scene: Record<string, string>;
  /** clicks a frame's name label on the canvas, shift-clicking to add */
  clickFrame(role: string, add?: boolean): Promise<void>;
  /** types the prompt, picks the tier and presses Run */
  run(prompt: string, tier?: 'Low' | 'Medium' | 'High' | 'X-High' | 'Max'): Promise<void>;
  /** picks a model in the panel's picker by its label ("2.5 Flare"), once the backend has listed it */
  pickModel(label: string): Promise<void>;
  imageBytes(hash: string): Promise<Uint8Array>;
  /** (issue 15) decodes a PNG/JPEG in the page (the browser's own decoder) and returns its alpha channel, one byte a pixel */
  alphaOf(bytes: Uint8Array): Promise<{ width: number; height: number; alpha: Uint8Array }>;
  /** closes the plugin with the × on its window (the panel and its requests go) */
  closePlugin(): Promise<void>;
  /** Run Framefill again: same document and clientStorage; resolves once the new panel has its init */
  reopenPlugin(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  fake?: FakeOpenAIOptions;
  demo?: boolean;
  /**
   * (issue 16) Follow overnight batches as the Node server's timer does (platform/node.ts), every
   * `pollMs` instead of FRAMEFILL_BATCH_POLL_SECONDS; the fake finishes them after its `batchLatencyMs`.
   */
  batchPollMs?: number;
  /** more backend settings (environment variables), over the harness's own */
  env?: Record<string, string>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  assertBuilt();
  mkdirSync(RESULTS, { recursive: true });
  const fake = await startFakeOpenAI({ latencyMs: 20, partialIntervalMs: 5, ...options.fake });
  const { config } = loadConfig({
    OPENAI_API_KEY: DEFAULT_API_KEY,
    OPENAI_BASE_URL: fake.url,
    FRAMEFILL_TOKENS: `test:${TEST_TOKEN}`,
    PORT: '0',
    HOST: '127.0.0.1',
    FRAMEFILL_UPSTREAM_RETRIES: '0',
    FRAMEFILL_UPSTREAM_TIMEOUT_MS: '30000',
    FRAMEFILL_ALLOWED_MODELS: ALLOWED_MODELS,
    ...options.env,
  });
  // (issue 16) one store for the app and the batch follower, as one instance has
  // As the Node server builds it: capped in memory, the rest spilled to a private temp directory.
  const store = await storeFromEnv({}, config, (dir) => createDiskSpill({ parent: dir, warn: () => {} }));
  const backend = await startServer(config, { logger: () => {}, store });
  const batchTimer = options.batchPollMs ? followBatches(wireApp(config, { store, logger: () => {} }).routes, options.batchPollMs) : null;
  const routes = playgroundRoutes({ distDir: DIST, demo: options.demo ?? false });
  const { server, url: playgroundUrl } = await new Promise<{ server: Server; url: string }>((resolve) => {
    const s = serve({ fetch: routes.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server: s as Server, url: `http://127.0.0.1:${info.port}` }));
  });
  const browser = await launchChromium();
  const pages = new Set<Playground>();

  async function open(opts: OpenOptions = {}): Promise<Playground> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    const query = new URLSearchParams({ backend: opts.backend ?? backend.url, token: opts.token ?? TEST_TOKEN, ...(opts.theme ? { theme: opts.theme } : {}) });
    await page.goto(`${playgroundUrl}/playground?${query}`);
    await page.waitForFunction(() => window.__playground?.ready || window.__playground?.error, undefined, { timeout: 15_000 });
    const error = await page.evaluate(() => window.__playground?.error ?? null);
    if (error) throw new Error(`playground did not start: ${error}`);
    const panel = page.frameLocator('iframe.plugin-iframe');
    const initCount = () => page.evaluate(() => window.__playground!.fake.posted.filter((m) => (m as { type?: string }).type === 'init').length);
    /** The panel has its init (settings, selection) once it no longer waits for Figma. */
    const panelReady = async (inits: number) => {
      await panel.locator('#plan-line').waitFor({ timeout: 15_000 });
      await page.waitForFunction((n) => (window.__playground?.fake.posted ?? []).filter((m) => (m as { type?: string }).type === 'init').length >= n, inits, { timeout: 15_000 });
    };
    await panelReady(1);
    const scene = await page.evaluate(() => window.__playground!.scene);
    const pg: Playground = {
      page,
      context,
      panel,
      errors,
      scene,
      snapshot: () => page.evaluate(() => window.__playground!.snapshot()),
      async clickFrame(role, add = false) {
        const id = scene[role];
        if (!id) throw new Error(`no scene node "${role}"`);
        const label = page.locator(`.frame-label[data-select-id="${id}"]`);
        // A placement may have zoomed the canvas to its new layer, as Figma does: a frame now out of
        // view is brought back as a user would, with Fit (the canvas pans; it does not scroll).
        const [box, canvas] = await Promise.all([label.boundingBox(), page.locator('#canvas').boundingBox()]);
        const inView = box && canvas && box.x >= canvas.x && box.y >= canvas.y && box.x + box.width <= canvas.x + canvas.width && box.y + box.height <= canvas.y + canvas.height;
        if (!inView) await page.locator('#fit').click();
        await label.click({ modifiers: add ? ['Shift'] : [] });
      },
      async run(prompt, tier = 'Medium') {
        await panel.locator('#prompt').fill(prompt);
        await panel.getByRole('radio', { name: new RegExp(`^${tier},`) }).click();
        await panel.getByRole('button', { name: 'Run', exact: true }).click();
      },
      async pickModel(label) {
        await panel.getByRole('radio', { name: new RegExp(`^${label.replace(/[.]/g, '\\.')}:`) }).click();
      },
      async imageBytes(hash) {
        const b64 = await page.evaluate((h) => window.__playground!.imageBase64(h), hash);
        return new Uint8Array(Buffer.from(b64, 'base64'));
      },
      async alphaOf(bytes) {
        const decoded = await page.evaluate(async (b64) => {
          const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
          const bitmap = await createImageBitmap(new Blob([data]));
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const ctx = canvas.getContext('2d')!;
          ctx.drawImage(bitmap, 0, 0);
          const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
          const alpha = new Uint8Array(bitmap.width * bitmap.height);
          for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[i * 4 + 3]!;
          let binary = '';
          for (let i = 0; i < alpha.length; i += 0x8000) binary += String.fromCharCode(...alpha.subarray(i, i + 0x8000));
          return { width: bitmap.width, height: bitmap.height, alpha: btoa(binary) };
        }, Buffer.from(bytes).toString('base64'));
        return { width: decoded.width, height: decoded.height, alpha: new Uint8Array(Buffer.from(decoded.alpha, 'base64')) };
      },
      async closePlugin() {
        await page.getByRole('button', { name: 'Close plugin' }).click();
        await page.locator('iframe.plugin-iframe').waitFor({ state: 'detached', timeout: 5_000 });
      },
      async reopenPlugin() {
        const inits = await initCount();
        await page.getByRole('button', { name: 'Run Framefill' }).click();
        await panelReady(inits + 1);
      },
      async close() {
        pages.delete(pg);
        await context.close();
      },
    };
    pages.add(pg);
    return pg;
  }

  return {
    fake,
    backend,
    playgroundUrl,
    browser,
    open,
    async close() {
      for (const pg of [...pages]) await pg.close().catch(() => {});
      await browser.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (batchTimer) clearInterval(batchTimer);
      await backend.close(0);
      await store.close();
      await fake.close();
    },
  };
}

/** Advances the open batches every `pollMs`, one pass at a time (as platform/node.ts does). */
function followBatches(deps: BatchDeps, pollMs: number): ReturnType<typeof setInterval> {
  let running = false;
  return setInterval(() => {
    if (running) return;
    running = true;
    advanceBatches(deps, Date.now())
      .catch((error: unknown) => console.error(`batches not advanced: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = false;
      });
  }, pollMs);
}

/** The node of a snapshot by id (throws when it is gone). */
export function nodeIn(snapshot: Snapshot, id: string): SnapshotNode {
  const node = snapshot.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`node ${id} is not on the page`);
  return node;
}

/** The image paints of a node, topmost last. */
export function imageFills(node: SnapshotNode): { imageHash: string }[] {
  return Array.isArray(node.fills) ? node.fills.filter((p): p is typeof p & { imageHash: string } => p.type === 'IMAGE' && typeof p.imageHash === 'string') : [];
}

/** Polls `check` in the page until it is truthy; bounded. */
export async function waitForSnapshot<T>(pg: Playground, check: (s: Snapshot) => T | null | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: Snapshot | null = null;
  while (Date.now() < deadline) {
    last = await pg.snapshot();
    const value = check(last);
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`canvas did not reach the expected state within ${timeoutMs} ms; last: undo steps ${last?.undoSteps}, created ${JSON.stringify(last?.created)}`);
}

export function screenshotPath(name: string): string {
  return path.join(RESULTS, `playground-${name}.png`);
}

/**
 * The usual test-file setup: one harness for the file, one playground page per test (closed
 * after it) and the fake OpenAI's log cleared between tests.
 */
export function useHarness(options: HarnessOptions = {}): { readonly harness: Harness; open(opts?: OpenOptions): Promise<Playground> } {
  let harness: Harness | undefined;
  let page: Playground | undefined;
  beforeAll(async () => {
    harness = await startHarness(options);
  });
  afterEach(async () => {
    await page?.close();
    page = undefined;
    harness?.fake.reset();
  });
  afterAll(async () => {
    await harness?.close();
  });
  return {
    get harness() {
      if (!harness) throw new Error('the harness starts in beforeAll');
      return harness;
    },
    async open(opts) {
      if (!harness) throw new Error('the harness starts in beforeAll');
      page = await harness.open(opts);
      return page;
    },
  };
}
