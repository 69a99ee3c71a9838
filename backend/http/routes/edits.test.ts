// Edits through the backend with the official SDK: two references and a mask, JSON and stream.
import { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodePng, gradient, imageSize, jpegOf, pngOf } from '../../../test/support/images';
import { COST_HEADER } from '../../contract';
import { costFromUsage, type ImageUsage } from '../../pricing';
import { decodeB64, startStack, type Stack } from '../../test-helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

/** A 1024×1024 RGBA PNG whose alpha marks the area to edit. */
const mask = () => encodePng(gradient(1024, 1024, 3, 0));

async function references() {
  return [
    await toFile(pngOf(1024, 1024, 1), 'frame.png', { type: 'image/png' }),
    // Declared as PNG but really a JPEG: the backend judges by content.
    await toFile(jpegOf(768, 512, 2), 'photo.png', { type: 'image/png' }),
  ];
}

describe('POST /v1/images/edits', () => {
  it('sends two references and the mask upstream and returns the edited image with its cost', async () => {
    const { data, response } = await stack
      .client()
      .images.edit({ image: await references(), mask: await toFile(mask(), 'mask.png'), prompt: 'make it night', quality: 'low', size: '1024x1536', input_fidelity: 'high' })
      .withResponse();
    expect(imageSize(decodeB64(data.data![0]!.b64_json!))).toMatchObject({ width: 1024, height: 1536 });
    const cost = costFromUsage(data.usage as ImageUsage);
    expect(cost).toBeGreaterThan(0);
    expect((data as typeof data & { framefill: { cost_usd: number } }).framefill.cost_usd).toBe(cost);
    expect(Number(response.headers.get(COST_HEADER))).toBe(cost);

    const rec = stack.fake.requests[0]!;
    expect(rec.route).toBe('edits');
    expect(rec.fields).toMatchObject({ prompt: 'make it night', quality: 'low', size: '1024x1536', input_fidelity: 'high', model: 'gpt-image-2' });
    const images = rec.files.filter((f) => f.field === 'image[]');
    expect(images.map((f) => [f.format, f.width, f.height, f.type])).toEqual([
      ['png', 1024, 1024, 'image/png'],
      ['jpeg', 768, 512, 'image/jpeg'],
    ]);
    const maskFile = rec.files.find((f) => f.field === 'mask');
    expect(maskFile).toMatchObject({ format: 'png', width: 1024, height: 1024 });
  });

  it('sends a single reference as `image`', async () => {
    await stack.client().images.edit({ image: await toFile(pngOf(1024, 1024, 4), 'a.png'), prompt: 'x', quality: 'low' });
    expect(stack.fake.requests[0]!.files.map((f) => f.field)).toEqual(['image']);
  });

  it('streams edit events with partials first and the cost on the completed event', async () => {
    const stream = await stack.client().images.edit({
      image: await references(),
      mask: await toFile(mask(), 'mask.png'),
      prompt: 'make it night',
      quality: 'low',
      stream: true,
      partial_images: 2,
    });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual(['image_edit.partial_image', 'image_edit.partial_image', 'image_edit.completed']);
    const last = events[2] as (typeof events)[number] & { type: 'image_edit.completed'; framefill: { cost_usd: number } };
    expect(last.framefill.cost_usd).toBe(costFromUsage(last.usage));
    expect(last.framefill.cost_usd).toBeGreaterThan(0);
    const rec = stack.fake.requests[0]!;
    expect(rec.fields.stream).toBe('true');
    expect(rec.files.filter((f) => f.field === 'image[]')).toHaveLength(2);
    expect(rec.files.filter((f) => f.field === 'mask')).toHaveLength(1);
  });
});
