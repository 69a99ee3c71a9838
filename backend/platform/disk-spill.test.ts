// The Node backend as `npm start` builds it (createAppFromEnv with the disk spill): an overnight
// batch whose images are more than the in-memory store keeps is still fetchable whole, item by
// item — before, the oldest were dropped to "not retained" although they were paid for. The
// directory is private and goes when the store closes.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, DEFAULT_API_KEY, type FakeOpenAI } from '../../test/fake-openai/server';
import { ALICE_SECRET } from '../test-helpers/stack';
import { createAppFromEnv, type EnvApp } from './app-from-env';
import { createDiskSpill } from './disk-spill';
import { ConfigError } from '../errors';

let fake: FakeOpenAI;
let parent: string;

beforeAll(async () => {
  fake = await startFakeOpenAI({ latencyMs: 1, batchLatencyMs: 3_600_000 });
  parent = await mkdtemp(path.join(tmpdir(), 'framefill-spill-test-'));
});
afterAll(async () => {
  await fake.close();
  await rm(parent, { recursive: true, force: true });
});

const ITEMS = 12;
/** About three of the fake's 1024×1024 images: far less than the batch. */
const MEMORY_CAP = 1_000_000;

async function backend(extra: Record<string, string> = {}): Promise<EnvApp> {
  const env = {
    OPENAI_API_KEY: DEFAULT_API_KEY,
    OPENAI_BASE_URL: fake.url,
    FRAMEFILL_TOKENS: `alice:${ALICE_SECRET}`,
    FRAMEFILL_MEMORY_RESULT_BYTES: String(MEMORY_CAP),
    FRAMEFILL_RESULT_SPILL_DIR: parent,
    ...extra,
  };
  return createAppFromEnv(env, { logger: () => {}, errorLog: () => {}, warn: () => {} }, (dir) => createDiskSpill({ parent: dir, warn: () => {} }));
}

const call = (built: EnvApp, route: string, init: RequestInit = {}) =>
  built.app.fetch(new Request(`http://framefill.test${route}`, { ...init, headers: { authorization: `Bearer ${ALICE_SECRET}`, 'content-type': 'application/json', ...init.headers } }));

/** Runs a batch of ITEMS generations to the end; the statuses and image sizes GET /v1/results answers per item. */
async function overnight(built: EnvApp, prefix: string): Promise<{ status: number; bytes: number }[]> {
  const items = Array.from({ length: ITEMS }, (_, i) => ({ id: `${prefix}-${i}`, kind: 'generation', prompt: `tile ${i}`, quality: 'low', size: '1024x1024' }));
  expect((await call(built, '/v1/framefill/batches', { method: 'POST', body: JSON.stringify({ items }) })).status).toBe(202);
  fake.batches.completeNow();
  for (let i = 0; i < 5; i++) if ((await built.advanceBatches(Date.now())).finished > 0) break;
  await new Promise((resolve) => setTimeout(resolve, 50)); // the spill's writes land
  const answers: { status: number; bytes: number }[] = [];
  for (const item of items) {
    const res = await call(built, `/v1/results/${item.id}`);
    const body = (await res.json()) as { data?: { b64_json: string }[] };
    answers.push({ status: res.status, bytes: body.data?.[0]?.b64_json.length ?? 0 });
  }
  return answers;
}

describe('the in-memory store spills to disk on Node', () => {
  it('keeps every image of an overnight batch larger than its memory cap, and leaves nothing behind', async () => {
    const built = await backend();
    const answers = await overnight(built, 'spill');
    expect(answers.map((a) => a.status)).toEqual(Array(ITEMS).fill(200));
    const total = answers.reduce((n, a) => n + a.bytes, 0);
    expect(total).toBeGreaterThan(2 * MEMORY_CAP); // most of it came back from the disk
    const [dir] = await readdir(parent);
    expect(dir).toMatch(/^framefill-results-/);
    expect((await stat(path.join(parent, dir!))).mode & 0o777).toBe(0o700);
    expect((await readdir(path.join(parent, dir!))).length).toBeGreaterThan(0);
    await built.close();
    expect(await readdir(parent)).toEqual([]);
  });

  it('with FRAMEFILL_RESULT_SPILL_BYTES=0 drops the oldest as before (paid for, 404 result_not_retained)', async () => {
    const built = await backend({ FRAMEFILL_RESULT_SPILL_BYTES: '0' });
    const answers = await overnight(built, 'nospill');
    expect(answers.filter((a) => a.status === 404).length).toBeGreaterThan(ITEMS / 2);
    expect(await readdir(parent)).toEqual([]);
    await built.close();
  });

  it('refuses to start with a spill directory it cannot write to, saying which setting', async () => {
    await expect(backend({ FRAMEFILL_RESULT_SPILL_DIR: path.join(parent, 'missing', 'deeper') })).rejects.toThrow(ConfigError);
    await expect(backend({ FRAMEFILL_RESULT_SPILL_DIR: path.join(parent, 'missing') })).rejects.toThrow(/FRAMEFILL_RESULT_SPILL_DIR/);
  });

  it('never touches a path that is not one of its own ids', async () => {
    const area = await createDiskSpill({ parent, warn: () => {} });
    await expect(area.read('../../etc/passwd')).resolves.toBeNull();
    await expect(area.write('../escape', 'x')).rejects.toThrow(/not a spill id/);
    await area.close();
    expect(await readdir(parent)).toEqual([]);
  });
});
