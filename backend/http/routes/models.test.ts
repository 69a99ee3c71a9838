// GET /v1/models and /v1/models/{id}: OpenAI's list shape that the official SDK reads, the
// allowed models only (default first), Framefill's capabilities and the prices the deployment
// uses — published, the operator's ceiling, then learned from runs.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelListSchema } from '../../contract';
import { recordOutput } from '../../accounting/learned-output';
import { startStack, type Stack } from '../../test-helpers/stack';
import { batchDefaults } from '../../config/load-config';

const FAMILY = ['gpt-image-2', 'gpt-image-2.5-flare', 'gpt-image-2.5-sunburst'];
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ config: { model: 'gpt-image-2.5-flare', allowedModels: FAMILY, ceilings: { xhigh: 0.5, max: 1 }, batch: { ...batchDefaults(), discount: 0.6 } } });
});
afterAll(() => stack.close());

describe('GET /v1/models', () => {
  it("lists the allowed models in OpenAI's shape, default first, each with its capabilities", async () => {
    const res = await stack.fetch('/v1/models');
    expect(res.status).toBe(200);
    const list = modelListSchema.parse(await res.json());
    expect(list.data.map((m) => m.id)).toEqual(['gpt-image-2.5-flare', 'gpt-image-2', 'gpt-image-2.5-sunburst']);
    expect(list.data.map((m) => [m.created, m.owned_by, m.framefill?.default])).toEqual([
      [Date.UTC(2026, 8, 8) / 1000, 'openai', true],
      [Date.UTC(2026, 3, 21) / 1000, 'openai', false],
      [Date.UTC(2026, 8, 8) / 1000, 'openai', false],
    ]);
    const [flare, gpt2] = list.data;
    expect(flare!.framefill).toMatchObject({ label: '2.5 Flare', qualities: ['low', 'medium', 'high', 'xhigh', 'max', 'auto'], transparent_background: 'yes', snapshots: ['gpt-image-2.5-flare-2026-09-08'] });
    expect(gpt2!.framefill).toMatchObject({ qualities: ['low', 'medium', 'high', 'auto'], transparent_background: 'preview', limits: { max_images: 10, max_reference_images: 16 } });
    expect(Object.keys(gpt2!.framefill!.prices.qualities)).toEqual(['low', 'medium', 'high']);
    expect(gpt2!.framefill!.prices.qualities.high).toEqual({ output_tokens_1024: 7033, usd_per_1024: 0.211, basis: 'published', runs: 0 });
    // The operator's ceilings, not the defaults.
    expect(flare!.framefill!.prices.qualities.xhigh).toMatchObject({ usd_per_1024: 0.5, basis: 'ceiling', runs: 0 });
    expect(flare!.framefill!.prices.qualities.max).toMatchObject({ usd_per_1024: 1, basis: 'ceiling' });
    // (issue 16) the panel prices Overnight with the deployment's discount before any batch ran
    expect(list.data.map((m) => m.framefill?.batch_discount)).toEqual([0.6, 0.6, 0.6]);
    // and splits a larger overnight run into batches this deployment holds
    expect(list.data.map((m) => m.framefill?.batch_max_items)).toEqual([500, 500, 500]);
  });

  it('works with the official SDK: models.list() and models.retrieve() (a snapshot resolves)', async () => {
    const client = stack.client();
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['gpt-image-2.5-flare', 'gpt-image-2', 'gpt-image-2.5-sunburst']);
    const snapshot = await client.models.retrieve('gpt-image-2.5-sunburst-2026-09-08');
    expect(snapshot).toMatchObject({ id: 'gpt-image-2.5-sunburst-2026-09-08', object: 'model', owned_by: 'openai' });
    expect((snapshot as unknown as { framefill: { label: string } }).framefill.label).toBe('2.5 Sunburst');
  });

  it("answers a model it does not offer with OpenAI's 404 naming the model", async () => {
    const err = await stack.client().models.retrieve('gpt-image-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    expect((err as Error).message).toContain("'gpt-image-2.5-flare'");
  });

  it('is authenticated, and only GET (or HEAD)', async () => {
    expect((await fetch(`${stack.url}/v1/models`)).status).toBe(401);
    expect((await stack.fetch('/v1/models', { method: 'POST' })).status).toBe(405);
  });

  it('serves a learned price once enough runs have taught it', async () => {
    const sample = { model: 'gpt-image-2.5-flare', quality: 'xhigh' as const, width: 1024, height: 1024, images: 1, outputTokens: 16_000 };
    const fail = (err: unknown) => {
      throw err;
    };
    for (let i = 0; i < 2; i++) await recordOutput(stack.store, sample, fail);
    const before = modelListSchema.parse(await (await stack.fetch('/v1/models')).json()).data[0]!.framefill!.prices.qualities.xhigh;
    expect(before).toMatchObject({ basis: 'ceiling', runs: 2, usd_per_1024: 0.5 });
    await recordOutput(stack.store, sample, fail);
    const after = modelListSchema.parse(await (await stack.fetch('/v1/models/gpt-image-2.5-flare')).json().then((m) => ({ object: 'list', data: [m] }))).data[0]!.framefill!.prices.qualities.xhigh;
    expect(after).toEqual({ output_tokens_1024: 16_000, usd_per_1024: 0.48, basis: 'learned', runs: 3 });
  });
});

describe('a deployment offering only gpt-image-2', () => {
  it('lists it alone and has no other', async () => {
    const solo = await startStack();
    try {
      const list = modelListSchema.parse(await (await solo.fetch('/v1/models')).json());
      expect(list.data.map((m) => m.id)).toEqual(['gpt-image-2']);
      expect((await solo.fetch('/v1/models/gpt-image-2.5-flare')).status).toBe(404);
      expect((await solo.fetch('/v1/models/gpt-image-2-2026-04-21')).status).toBe(200);
    } finally {
      await solo.close();
    }
  });
});
