// Issue 12's must-show, through the official openai SDK against the backend and the fake OpenAI:
// the 2.5 family's qualities reach OpenAI and are charged from `usage`, what a model does not
// take is refused before any upstream call, transparent output passes, models.list() lists the
// deployment's models, and each token reaches OpenAI as its own non-secret `user`.
import { BadRequestError, toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { modelListSchema } from '../../backend/contract';
import { costFromUsage, roundUsd, type ImageUsage } from '../../backend/pricing';
import { ALICE_SECRET, BOB_SECRET, startStack, type Stack } from '../../backend/test-helpers/stack';
import { DEFAULT_API_KEY } from '../fake-openai/server';
import { pngOf } from '../support/images';

const FAMILY = ['gpt-image-2', 'gpt-image-2.5-flare', 'gpt-image-2.5-sunburst'];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ config: { model: 'gpt-image-2', allowedModels: FAMILY } });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

type Billed = { usage?: ImageUsage; framefill?: { cost_usd: number; model: string } };

/** The SDK's own types predate xhigh/max; the values are what OpenAI takes today. */
const quality = (q: string) => q as 'high';

async function spentUsd(secret = ALICE_SECRET): Promise<number> {
  const res = await stack.fetch('/v1/usage', { headers: { authorization: `Bearer ${secret}` } });
  return ((await res.json()) as { cost_usd: number }).cost_usd;
}

describe('the gpt-image-2.5 family through the SDK', () => {
  it('sends a Flare generation at xhigh upstream as asked and charges it from usage', async () => {
    const before = await spentUsd();
    const image = (await stack.client().images.generate({ model: 'gpt-image-2.5-flare', prompt: 'A copper kettle, studio light', quality: quality('xhigh'), size: '1024x1024' })) as unknown as Billed;
    const sent = stack.fake.requests.filter((r) => r.route === 'generations');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.fields).toMatchObject({ model: 'gpt-image-2.5-flare', quality: 'xhigh' });
    const cost = costFromUsage(image.usage);
    expect(cost).toBeGreaterThan(0);
    expect(image.framefill).toMatchObject({ cost_usd: cost, model: 'gpt-image-2.5-flare' });
    expect(await spentUsd()).toBeCloseTo(roundUsd(before + cost), 6);
  });

  it('sends a Sunburst edit at max upstream as asked and charges it from usage', async () => {
    const image = (await stack.client().images.edit({
      model: 'gpt-image-2.5-sunburst',
      image: await toFile(pngOf(1024, 1024, 1), 'frame.png', { type: 'image/png' }),
      prompt: 'Replace the mug with a teapot',
      quality: quality('max'),
      size: '1024x1024',
    })) as unknown as Billed;
    const sent = stack.fake.requests.filter((r) => r.route === 'edits');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.fields).toMatchObject({ model: 'gpt-image-2.5-sunburst', quality: 'max' });
    expect(image.framefill).toMatchObject({ cost_usd: costFromUsage(image.usage), model: 'gpt-image-2.5-sunburst' });
    expect(image.framefill!.cost_usd).toBeGreaterThan(0);
  });

  it.each([
    ['gpt-image-2 at max', { model: 'gpt-image-2', quality: quality('max') }, 'quality'],
    ['an unknown model', { model: 'gpt-image-9' }, 'model'],
  ])('refuses %s with a 400 naming the param, and calls nobody', async (_name, params, param) => {
    const error = await stack
      .client()
      .images.generate({ prompt: 'A mug', size: '1024x1024', ...params })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe(param);
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('passes a transparent gpt-image-2 generation upstream with a format that keeps alpha', async () => {
    await stack.client().images.generate({ model: 'gpt-image-2', prompt: 'A ceramic mug, cut out', background: 'transparent', size: '1024x1024', quality: 'low' });
    const fields = stack.fake.requests[0]!.fields;
    expect(fields.background).toBe('transparent');
    expect(['png', 'webp']).toContain(fields.output_format);
  });

  it("lists the deployment's models with models.list()", async () => {
    const ids: string[] = [];
    for await (const model of stack.client().models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual([...FAMILY].sort());
    const raw = await (await stack.fetch('/v1/models')).json();
    expect(modelListSchema.safeParse(raw).success).toBe(true);
  });

  it('tells OpenAI who asked: one stable user id per token, never a secret', async () => {
    const ask = (secret: string) => stack.client(secret).images.generate({ prompt: 'A mug', size: '1024x1024', quality: 'low' });
    await ask(ALICE_SECRET);
    await ask(BOB_SECRET);
    await ask(ALICE_SECRET);
    const users = stack.fake.requests.map((r) => r.fields.user);
    expect(users.every((u) => typeof u === 'string' && u.length > 0)).toBe(true);
    expect(users[0]).not.toBe(users[1]);
    expect(users[2]).toBe(users[0]);
    for (const user of users as string[]) {
      for (const secret of [ALICE_SECRET, BOB_SECRET, DEFAULT_API_KEY, 'alice', 'bob']) expect(user).not.toContain(secret);
    }
  });
});
