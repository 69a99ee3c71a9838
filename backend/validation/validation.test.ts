// Every validation rule, over HTTP: each bad request gets a 400 (or 413/415) naming the field,
// and nothing reaches the upstream.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodePng, gradient, jpegOf, pngOf } from '../../test/support/images';
import { errorBodySchema } from '../contract';
import { editForm, startStack, type Stack } from '../test-helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ config: { maxImageBytes: 200_000 } });
});
afterAll(() => stack.close());
beforeEach(() => stack.fake.reset());

const BASE = { prompt: 'a red fox', quality: 'low' };

function postJson(body: unknown, contentType = 'application/json') {
  return stack.fetch('/v1/images/generations', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function expectError(res: Response, status: number, param: string | null, code?: string) {
  const body = errorBodySchema.parse(await res.json());
  expect({ status: res.status, param: body.error.param }).toEqual({ status, param });
  expect(body.error.type).toBe('invalid_request_error');
  expect(body.error.message.length).toBeGreaterThan(10);
  if (param) expect(body.error.message).toContain(param === 'image' ? 'mage' : param);
  if (code) expect(body.error.code).toBe(code);
  expect(stack.fake.requests).toHaveLength(0);
  return body.error;
}

describe('generation parameters', () => {
  it('accepts the base request (the control every case below changes one field of)', async () => {
    expect((await postJson(BASE)).status).toBe(200);
    expect((await postJson({ ...BASE, prompt: 'p'.repeat(32_000), size: '3840x2160', n: 1, output_format: 'webp', output_compression: 0, partial_images: 0, moderation: 'low', background: 'opaque', user: 'u'.repeat(256) })).status).toBe(200);
  });

  const cases: Array<[string, Record<string, unknown>, string, string?]> = [
    ['prompt missing', { prompt: undefined }, 'prompt', 'missing_required_parameter'],
    ['prompt empty', { prompt: '' }, 'prompt'],
    ['prompt only spaces', { prompt: '   ' }, 'prompt'],
    ['prompt too long', { prompt: 'p'.repeat(32_001) }, 'prompt', 'string_above_max_length'],
    ['prompt not text', { prompt: 42 }, 'prompt'],
    ['quality unknown', { quality: 'ultra' }, 'quality', 'invalid_value'],
    ['n zero', { n: 0 }, 'n', 'integer_below_min_value'],
    ['n eleven', { n: 11 }, 'n', 'integer_above_max_value'],
    ['n fractional', { n: 2.5 }, 'n'],
    ['n as text', { n: '2' }, 'n', 'invalid_type'],
    ['output_format gif', { output_format: 'gif' }, 'output_format'],
    ['output_compression -1', { output_format: 'jpeg', output_compression: -1 }, 'output_compression'],
    ['output_compression 101', { output_format: 'jpeg', output_compression: 101 }, 'output_compression'],
    ['output_compression with png', { output_compression: 50 }, 'output_compression'],
    ['partial_images 4', { partial_images: 4, stream: true }, 'partial_images'],
    ['partial_images -1', { partial_images: -1 }, 'partial_images'],
    ['moderation high', { moderation: 'high' }, 'moderation'],
    ['quality xhigh on gpt-image-2', { quality: 'xhigh' }, 'quality', 'unsupported_value'],
    ['quality max on gpt-image-2', { quality: 'max' }, 'quality', 'unsupported_value'],
    ['transparent background as JPEG', { background: 'transparent', output_format: 'jpeg' }, 'output_format', 'unsupported_value'],
    ['a 2.5 model this deployment does not offer', { model: 'gpt-image-2.5-flare' }, 'model', 'model_not_found'],
    ['background unknown', { background: 'none' }, 'background'],
    ['stream not boolean', { stream: 'yes' }, 'stream'],
    ['user too long', { user: 'u'.repeat(257) }, 'user'],
    ['user not text', { user: 7 }, 'user'],
    ['size not divisible by 16', { size: '1000x1000' }, 'size'],
    ['size above 3840', { size: '4096x2048' }, 'size'],
    ['size aspect beyond 3:1', { size: '3840x1024' }, 'size'],
    ['size too few pixels', { size: '512x512' }, 'size'],
    ['size not WxH', { size: 'big' }, 'size'],
    ['size trailing junk', { size: '1024x1024px' }, 'size'],
    ['unknown field', { foo: 1 }, 'foo', 'unknown_parameter'],
    ['dall-e style', { style: 'vivid' }, 'style', 'unknown_parameter'],
    ['input_fidelity is edits-only', { input_fidelity: 'high' }, 'input_fidelity', 'unknown_parameter'],
    ['response_format url', { response_format: 'url' }, 'response_format'],
    ['model not allowed', { model: 'dall-e-3' }, 'model'],
  ];
  it.each(cases)('%s → 400 naming the field', async (_name, change, param, code) => {
    const body: Record<string, unknown> = { ...BASE, ...change };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    await expectError(await postJson(body), 400, param, code);
  });

  it("refuses a quality the model does not take in OpenAI's words, naming what it takes", async () => {
    const error = await expectError(await postJson({ ...BASE, quality: 'xhigh' }), 400, 'quality', 'unsupported_value');
    expect(error.message).toBe("The model 'gpt-image-2' does not support quality 'xhigh'. It takes 'low', 'medium', 'high' or 'auto'.");
  });

  it('names the allowed models when the model is refused', async () => {
    const error = await expectError(await postJson({ ...BASE, model: 'gpt-image-1' }), 400, 'model');
    expect(error.message).toContain("'gpt-image-2'");
  });

  it('malformed JSON → 400 invalid_json', async () => {
    const error = await expectError(await postJson('{"prompt": "x",}'), 400, null, 'invalid_json');
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('a JSON array or empty body → 400', async () => {
    await expectError(await postJson([BASE]), 400, null);
    await expectError(await postJson(''), 400, null, 'invalid_json');
  });

  it('wrong or missing content type → 415 with a clear message', async () => {
    const res = await postJson(BASE, 'text/plain');
    expect(res.status).toBe(415);
    expect(errorBodySchema.parse(await res.json()).error.message).toMatch(/application\/json/);
    const none = await stack.fetch('/v1/images/generations', { method: 'POST', body: new Blob([JSON.stringify(BASE)]) });
    expect(none.status).toBe(415);
    expect(stack.fake.requests).toHaveLength(0);
  });
});

describe('edit parameters (multipart)', () => {
  const small = () => pngOf(1024, 1024, 1).subarray(0); // ~470 KB: over this stack's 200 KB per-image limit
  const ref = () => jpegOf(512, 512, 1); // small JPEG
  const alphaMask = (w = 512, h = 512) => encodePng(gradient(w, h, 2, 0));

  function postForm(fields: Record<string, string>, files: Parameters<typeof editForm>[1]) {
    return stack.fetch('/v1/images/edits', { method: 'POST', body: editForm({ prompt: 'night', quality: 'low', ...fields }, files) });
  }

  it('accepts the base edit with numbers and booleans as text', async () => {
    const res = await postForm({ n: '2', stream: 'false', output_compression: '80', output_format: 'jpeg' }, [{ field: 'image', bytes: ref() }, { field: 'mask', bytes: alphaMask() }]);
    expect(res.status).toBe(200);
    expect(stack.fake.requests[0]!.fields).toMatchObject({ n: '2', output_compression: '80' });
  });

  const fieldCases: Array<[string, Record<string, string>, string, string?]> = [
    ['n 3.5', { n: '3.5' }, 'n'],
    ['n abc', { n: 'abc' }, 'n'],
    ['n 0', { n: '0' }, 'n'],
    ['stream maybe', { stream: 'maybe' }, 'stream'],
    ['partial_images 4', { partial_images: '4' }, 'partial_images'],
    ['input_fidelity medium', { input_fidelity: 'medium' }, 'input_fidelity'],
    ['quality ultra', { quality: 'ultra' }, 'quality'],
    ['size 100x100', { size: '100x100' }, 'size'],
    ['quality xhigh on gpt-image-2', { quality: 'xhigh' }, 'quality', 'unsupported_value'],
    ['transparent background as JPEG', { background: 'transparent', output_format: 'jpeg' }, 'output_format', 'unsupported_value'],
    ['unknown field', { foo: 'bar' }, 'foo', 'unknown_parameter'],
    ['moderation is generations-only', { moderation: 'low' }, 'moderation', 'unknown_parameter'],
    ['prompt empty', { prompt: '' }, 'prompt'],
    ['model not allowed', { model: 'dall-e-2' }, 'model'],
  ];
  it.each(fieldCases)('%s → 400 naming the field', async (_name, fields, param, code) => {
    await expectError(await postForm(fields, [{ field: 'image', bytes: ref() }]), 400, param, code);
  });

  it('no image → 400 image', async () => {
    await expectError(await postForm({}, []), 400, 'image', 'missing_required_parameter');
  });

  it('17 images → 400 image', async () => {
    const files = Array.from({ length: 17 }, () => ({ field: 'image[]', bytes: pngOf(64, 64) }));
    await expectError(await postForm({}, files), 400, 'image');
  });

  it('16 images are accepted', async () => {
    const files = Array.from({ length: 16 }, (_, i) => ({ field: 'image[]', bytes: pngOf(64, 64, i) }));
    expect((await postForm({}, files)).status).toBe(200);
    expect(stack.fake.requests[0]!.files).toHaveLength(16);
  });

  it('a file that is not an image (whatever its name and type) → 400 image', async () => {
    const text = new TextEncoder().encode('GIF89a not really an image at all');
    await expectError(await postForm({}, [{ field: 'image', bytes: text, name: 'x.png', type: 'image/png' }]), 400, 'image', 'invalid_image_format');
  });

  it('an image sent as a text field → 400 image', async () => {
    await expectError(await postForm({ image: 'https://example.com/cat.png' }, []), 400, 'image');
  });

  it('an image over the per-file limit → 400 image', async () => {
    await expectError(await postForm({}, [{ field: 'image', bytes: small() }]), 400, 'image', 'image_too_large');
  });

  it('a JPEG mask → 400 mask', async () => {
    await expectError(await postForm({}, [{ field: 'image', bytes: ref() }, { field: 'mask', bytes: jpegOf(512, 512) }]), 400, 'mask');
  });

  it('a mask of another size than the first image → 400 mask', async () => {
    const error = await expectError(await postForm({}, [{ field: 'image', bytes: ref() }, { field: 'mask', bytes: alphaMask(256, 256) }]), 400, 'mask');
    expect(error.message).toContain('256x256');
  });

  it('a mask without alpha → 400 mask', async () => {
    const rgb = Buffer.from(pngOf(64, 64));
    rgb[25] = 2; // colour type RGB (the header CRC is not checked by the sniffer)
    await expectError(await postForm({}, [{ field: 'image', bytes: pngOf(64, 64) }, { field: 'mask', bytes: rgb }]), 400, 'mask');
  });

  it('a field sent twice → 400 naming it', async () => {
    const form = editForm({ prompt: 'a' }, [{ field: 'image', bytes: ref() }]);
    form.append('prompt', 'b');
    await expectError(await stack.fetch('/v1/images/edits', { method: 'POST', body: form }), 400, 'prompt');
  });

  it('an image whose header claims an implausible size → 400 naming the image (never a 5xx)', async () => {
    for (const [w, h] of [[0xffffffff, 0xffffffff], [65_536, 65_536], [16_400, 16], [12_000, 12_000]] as const) {
      const lying = Buffer.from(pngOf(64, 64));
      lying.writeUInt32BE(w, 16);
      lying.writeUInt32BE(h, 20);
      const error = await expectError(await postForm({}, [{ field: 'image', bytes: ref() }, { field: 'image[]', bytes: lying, name: 'big.png' }]), 400, 'image', 'image_too_large');
      expect(error.message).toContain(`Image 2 (big.png) claims ${w}×${h} px`);
      expect(error.message).toMatch(/16,384 px a side and 100 megapixels/);
    }
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])("a field named '%s' → 400 unknown_parameter (not a duplicate)", async (name) => {
    const error = await expectError(await postForm({ [name]: '{"polluted":true}' }, [{ field: 'image', bytes: ref() }]), 400, name, 'unknown_parameter');
    expect(error.message).toBe(`Unknown parameter: '${name}'.`);
  });

  it("a file named like an Object member ('constructor') → 400 unknown_parameter", async () => {
    const form = editForm({ prompt: 'a' }, [{ field: 'image', bytes: ref() }, { field: 'constructor', bytes: ref() }]);
    await expectError(await stack.fetch('/v1/images/edits', { method: 'POST', body: form }), 400, 'constructor', 'unknown_parameter');
  });

  it('JSON instead of multipart → 415', async () => {
    const res = await stack.fetch('/v1/images/edits', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"x"}' });
    expect(res.status).toBe(415);
    expect(errorBodySchema.parse(await res.json()).error.message).toMatch(/multipart\/form-data/);
  });

  it('a cut-off multipart body → 400', async () => {
    const res = await stack.fetch('/v1/images/edits', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nnight',
    });
    await expectError(res, 400, null, 'invalid_multipart');
  });
});
