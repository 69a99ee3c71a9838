// The model family end to end through the official SDK, against the fake OpenAI (which records
// every parameter it receives and bills xhigh/max at its own FAKE_OUTPUT_TOKENS_1024): 2.5 Flare at xhigh and Sunburst edits at max reach OpenAI as asked
// and are charged from `usage`; gpt-image-2 at max and unknown models are refused before any
// upstream call; transparent gpt-image-2 goes up as PNG; each token reaches OpenAI as its own
// `user`; the moderation pin; reservations at the ceiling and at what runs taught.
import OpenAI, { toFile } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jpegOf } from '../../../test/support/images';
import type { BackendConfig } from '../../config/load-config';
import { costFromUsage, outputTokensFor, PARTIAL_IMAGE_OUTPUT_TOKENS, type ImageUsage } from '../../pricing';
import { readLearned } from '../../accounting/learned-output';
import { findModel } from '../../models';
import type { RunningServer } from '../../platform/node-server';
import { MemoryStore } from '../../store';
import { ALICE_SECRET, BOB_SECRET, startStack, testConfig, UNLIMITED } from '../../test-helpers/stack';
import { startServer } from '../../test-helpers/start-server';
import { DEFAULT_API_KEY, startFakeOpenAI, type FakeOpenAI } from '../../../test/fake-openai/server';
import { FAKE_OUTPUT_TOKENS_1024 } from '../../../test/fake-openai/usage';

const FAMILY = ['gpt-image-2', 'gpt-image-2.5-flare', 'gpt-image-2.5-sunburst'];

let fake: FakeOpenAI;
const servers: RunningServer[] = [];
beforeAll(async () => {
  fake = await startFakeOpenAI({ latencyMs: 5, partialIntervalMs: 2 });
});
afterAll(() => fake.close());
afterEach(async () => {
  fake.reset();
  await Promise.all(servers.splice(0).map((s) => s.close(0)));
});

async function backend(overrides: Partial<BackendConfig> = {}, store = new MemoryStore(), errorLog: (line: string) => void = () => {}): Promise<{ client: (secret?: string) => OpenAI; url: string }> {
  const server = await startServer(testConfig({ openaiBaseUrl: fake.url, allowedModels: FAMILY, ...overrides }), { store, logger: () => {}, errorLog });
  servers.push(server);
  return { url: server.url, client: (secret = ALICE_SECRET) => new OpenAI({ apiKey: secret, baseURL: `${server.url}/v1`, maxRetries: 0 }) };
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; param: unknown; code: unknown; message: string }> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpenAI.APIError);
  const api = err as InstanceType<typeof OpenAI.APIError>;
  return { status: api.status ?? 0, param: api.param, code: api.code, message: api.message };
}

describe('the model family through the official SDK', () => {
  it('a Flare generation at xhigh reaches the upstream as asked and is charged from its usage', async () => {
    const { client } = await backend();
    const res = await client().images.generate({ model: 'gpt-image-2.5-flare', prompt: 'a fox', quality: 'xhigh' as 'high', size: '1024x1024' });
    expect(fake.requests[0]!.fields).toMatchObject({ model: 'gpt-image-2.5-flare', quality: 'xhigh', size: '1024x1024' });
    const framefill = (res as unknown as { framefill: { cost_usd: number; model: string } }).framefill;
    expect(framefill.model).toBe('gpt-image-2.5-flare');
    expect(framefill.cost_usd).toBe(costFromUsage(res.usage as ImageUsage));
    expect(res.usage!.output_tokens).toBe(FAKE_OUTPUT_TOKENS_1024.xhigh);
  });

  it('a Sunburst edit at max reaches the upstream as asked (with no moderation: edits take none)', async () => {
    const { client } = await backend({ moderation: 'low' });
    const image = await toFile(jpegOf(512, 512), 'ref.jpg', { type: 'image/jpeg' });
    const res = await client().images.edit({ model: 'gpt-image-2.5-sunburst', prompt: 'make it night', image, quality: 'max' as 'high' });
    expect(fake.requests[0]!.route).toBe('edits');
    expect(fake.requests[0]!.fields).toMatchObject({ model: 'gpt-image-2.5-sunburst', quality: 'max' });
    expect(fake.requests[0]!.fields).not.toHaveProperty('moderation');
    expect((res as unknown as { framefill: { cost_usd: number } }).framefill.cost_usd).toBe(costFromUsage(res.usage as ImageUsage));
  });

  it('gpt-image-2 at max, and an unknown model, are refused naming quality and model, with no upstream call', async () => {
    const { client } = await backend();
    const max = await refusal(client().images.generate({ model: 'gpt-image-2', prompt: 'x', quality: 'max' as 'high' }));
    expect(max).toMatchObject({ status: 400, param: 'quality', code: 'unsupported_value' });
    expect(max.message).toContain("The model 'gpt-image-2' does not support quality 'max'");
    const unknown = await refusal(client().images.generate({ model: 'gpt-image-9', prompt: 'x' }));
    expect(unknown).toMatchObject({ status: 400, param: 'model' });
    const image = await toFile(jpegOf(64, 64), 'ref.jpg', { type: 'image/jpeg' });
    expect(await refusal(client().images.edit({ model: 'gpt-image-2', prompt: 'x', image, quality: 'xhigh' as 'high' }))).toMatchObject({ status: 400, param: 'quality' });
    expect(fake.requests).toHaveLength(0);
  });

  it('a transparent gpt-image-2 generation goes upstream with background transparent as PNG (or the WebP asked for)', async () => {
    const { client } = await backend();
    await client().images.generate({ model: 'gpt-image-2', prompt: 'a sticker', background: 'transparent', quality: 'low' });
    await client().images.generate({ model: 'gpt-image-2', prompt: 'a sticker', background: 'transparent', output_format: 'webp', quality: 'low' });
    const image = await toFile(jpegOf(64, 64), 'ref.jpg', { type: 'image/jpeg' });
    await client().images.edit({ model: 'gpt-image-2', prompt: 'cut it out', image, background: 'transparent', quality: 'low' });
    expect(fake.requests.map((r) => [r.fields.background, r.fields.output_format])).toEqual([
      ['transparent', 'png'],
      ['transparent', 'webp'],
      ['transparent', 'png'],
    ]);
  });

  it('a dated snapshot is validated as its model but sent upstream as asked', async () => {
    const { client } = await backend();
    await client().images.generate({ model: 'gpt-image-2.5-flare-2026-09-08', prompt: 'x', quality: 'max' as 'high' });
    expect(fake.requests[0]!.fields.model).toBe('gpt-image-2.5-flare-2026-09-08');
    expect(await refusal(client().images.generate({ model: 'gpt-image-2-2026-04-21', prompt: 'x', quality: 'max' as 'high' }))).toMatchObject({ param: 'quality' });
  });

  it('two tokens reach OpenAI with two different user values, stable per token, containing no secret', async () => {
    const { client } = await backend();
    await client(ALICE_SECRET).images.generate({ prompt: 'x', quality: 'low' });
    await client(BOB_SECRET).images.generate({ prompt: 'x', quality: 'low' });
    await client(ALICE_SECRET).images.generate({ prompt: 'y', quality: 'low', user: 'designer-7' });
    await client(ALICE_SECRET).images.generate({ prompt: 'z', quality: 'low' });
    const users = fake.requests.map((r) => r.fields.user as string);
    expect(new Set(users.slice(0, 3)).size).toBe(3);
    expect(users[3]).toBe(users[0]);
    for (const u of users) {
      expect(u).toMatch(/^ff_[\w-]{19}$/);
      for (const secret of [ALICE_SECRET, BOB_SECRET, DEFAULT_API_KEY, 'designer-7', 'alice', 'bob']) expect(u).not.toContain(secret);
    }
    // A second instance (same configuration) tells OpenAI the same.
    const other = await backend();
    await other.client(BOB_SECRET).images.generate({ prompt: 'x', quality: 'low' });
    expect(fake.requests[4]!.fields.user).toBe(users[1]);
  });

  it('a pinned moderation goes up on every generation; asking for the other value is a 400 naming moderation', async () => {
    const { client } = await backend({ moderation: 'low' });
    await client().images.generate({ prompt: 'x', quality: 'low' });
    await client().images.generate({ prompt: 'x', quality: 'low', moderation: 'low' });
    expect(fake.requests.map((r) => r.fields.moderation)).toEqual(['low', 'low']);
    const refused = await refusal(client().images.generate({ prompt: 'x', quality: 'low', moderation: 'auto' }));
    expect(refused).toMatchObject({ status: 400, param: 'moderation' });
    expect(refused.message).toMatch(/pins moderation to 'low'/);
    expect(fake.requests).toHaveLength(2);
  });
});

describe('reservations of the unpublished tiers', () => {
  const budget = (usd: number): Partial<BackendConfig> => ({ limits: { defaults: { ...UNLIMITED, monthlyBudgetMicros: usd * 1e6 }, perToken: {} } });

  it('hold the ceiling: xhigh at the default $0.45 does not fit a $0.40 budget, a $0.10 ceiling does; auto on a 2.5 model is held at max', async () => {
    const tight = await backend(budget(0.4));
    const refused = await refusal(tight.client().images.generate({ model: 'gpt-image-2.5-flare', prompt: 'x', quality: 'xhigh' as 'high', size: '1024x1024' }));
    expect(refused.status).toBe(402);
    expect(await refusal(tight.client().images.generate({ model: 'gpt-image-2.5-flare', prompt: 'x', quality: 'auto', size: '1024x1024' }))).toMatchObject({ status: 402 });
    expect(fake.requests).toHaveLength(0);
    const lowCeiling = await backend({ ...budget(0.4), ceilings: { xhigh: 0.1, max: 0.2 } });
    await lowCeiling.client().images.generate({ model: 'gpt-image-2.5-flare', prompt: 'x', quality: 'xhigh' as 'high', size: '1024x1024' });
    expect(fake.requests).toHaveLength(1);
  });

  it('rise to 1.5 × what runs taught when that beats a ceiling set too low', async () => {
    const store = new MemoryStore();
    const { client } = await backend({ ceilings: { xhigh: 0.1, max: 0.2 } }, store);
    // The fake bills xhigh at 12,000 tokens ($0.36 an image): more than three times the ceiling.
    for (let i = 0; i < 3; i++) await client().images.generate({ model: 'gpt-image-2.5-flare', prompt: `run ${i}`, quality: 'xhigh' as 'high', size: '1024x1024' });
    // Another instance on the same store, with a budget the ceiling fits but the learned figure does not.
    const limited = await backend({ ceilings: { xhigh: 0.1, max: 0.2 }, ...budget(0.5) }, store);
    const refused = await refusal(limited.client(BOB_SECRET).images.generate({ model: 'gpt-image-2.5-flare', prompt: 'x', quality: 'xhigh' as 'high', size: '1024x1024' }));
    expect(refused.status).toBe(402);
    expect(refused.message).toMatch(/could cost up to \$0\.54/);
    expect(fake.requests).toHaveLength(3);
  });

  it('a store that cannot learn fails nothing: the reservation holds the ceiling, the image is delivered, the operator is told', async () => {
    class ForgetfulStore extends MemoryStore {
      override add(key: string, amount: number, ttlSeconds: number, hold?: Parameters<MemoryStore['add']>[3]): Promise<number> {
        return key.startsWith('learn:') ? Promise.reject(new Error('learn write refused')) : super.add(key, amount, ttlSeconds, hold);
      }
      override getMany(keys: string[]): Promise<number[]> {
        return keys.some((k) => k.startsWith('learn:')) ? Promise.reject(new Error('learn read refused')) : super.getMany(keys);
      }
    }
    const errors: string[] = [];
    const { client } = await backend({}, new ForgetfulStore(), (line) => errors.push(line));
    const res = await client().images.generate({ model: 'gpt-image-2.5-sunburst', prompt: 'x', quality: 'max' as 'high', size: '1024x1024' });
    expect(res.data).toHaveLength(1);
    expect(errors.join('\n')).toMatch(/learn read refused/);
    expect(errors.join('\n')).toMatch(/learn write refused/);
  });
});

describe('learning from what runs cost (against the fake OpenAI)', () => {
  it('learns from JSON calls whose auto quality and size the response resolved, and from streams net of their partials', async () => {
    const stack = await startStack();
    try {
      const gpt2 = findModel('gpt-image-2')!;
      // The fake resolves auto to medium at 1024×1024 and bills the published tokens.
      await stack.client().images.generate({ prompt: 'x', quality: 'auto', size: 'auto' });
      const stream = await stack.client().images.generate({ prompt: 'y', quality: 'high', size: '1024x1024', stream: true, partial_images: 2 });
      for await (const _event of stream) {
        // drained: the run settles when the stream ends
      }
      await stack.waitForLogs(2);
      const learned = await readLearned(stack.store, gpt2);
      expect(learned.medium).toEqual({ runs: 1, outputTokens1024: outputTokensFor('medium', 1024, 1024) });
      expect(learned.high.runs).toBe(1);
      // Within the partials' 200 tokens of the published figure, whichever way the upstream counts them.
      expect(Math.abs(learned.high.outputTokens1024 - outputTokensFor('high', 1024, 1024))).toBeLessThanOrEqual(2 * PARTIAL_IMAGE_OUTPUT_TOKENS);
      expect(learned.low.runs).toBe(0);
    } finally {
      await stack.close();
    }
  });
});
