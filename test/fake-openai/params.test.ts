// The request rules the fake enforces, checked without a server.
import { describe, expect, it } from 'vitest';
import { encodePng, gradient, jpegOf, pngOf } from '../support/images.js';
import { FakeApiError } from './errors.js';
import { parseEditRequest, parseGenerationRequest, parseSize, type UploadedFile } from './params.js';
import { pngHasAlpha, sniffImage } from './sniff.js';
import { encodeWebp } from './webp.js';

function rejection(fn: () => unknown): FakeApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FakeApiError) return error;
    throw error;
  }
  throw new Error('expected a FakeApiError');
}

const file = (bytes: Uint8Array, field = 'image'): UploadedFile => ({ field, filename: 'f', type: 'image/png', bytes });

/** The same PNG claiming RGB without alpha (colour type 2): enough for the header checks. */
function withoutAlpha(png: Buffer): Buffer {
  const copy = Buffer.from(png);
  copy[25] = 2;
  return copy;
}

describe('gpt-image-2 sizes', () => {
  it.each([
    ['1536x864', 1536, 864],
    ['3840x2160', 3840, 2160],
    ['2160x3840', 2160, 3840],
    ['16x48', 16, 48],
    ['auto', 1024, 1024],
  ])('accepts %s', (size, width, height) => {
    expect(parseSize('gpt-image-2', size)).toEqual({ width, height });
  });

  it.each([
    ['1000x1000', /divisible by 16/],
    ['4032x1008', /aspect ratio/],
    ['48x160', /aspect ratio/],
    ['4096x2048', /longest side/],
    ['3840x2176', /8294400 pixels/],
    ['0x0', /at least 16/],
    ['1024x', /WIDTHxHEIGHT/],
    ['1024X1024', /WIDTHxHEIGHT/],
  ])('rejects %s (%s)', (size, why) => {
    const error = rejection(() => parseSize('gpt-image-2', size));
    expect(error.status).toBe(400);
    expect(error.body).toMatchObject({ param: 'size', type: 'invalid_request_error' });
    expect(error.body.message).toMatch(why);
  });

  it('older models take only the three standard sizes', () => {
    expect(parseSize('gpt-image-1', '1536x1024')).toEqual({ width: 1536, height: 1024 });
    expect(rejection(() => parseSize('gpt-image-1', '1536x864')).body).toMatchObject({ param: 'size', code: 'invalid_value' });
  });
});

describe('generation parameters', () => {
  const base = { model: 'gpt-image-2', prompt: 'a cat' };

  it('fills defaults and resolves auto', () => {
    expect(parseGenerationRequest(base)).toMatchObject({
      n: 1, quality: 'medium', width: 1024, height: 1024, outputFormat: 'png', outputCompression: 100,
      background: 'opaque', stream: false, partialImages: 0, references: 0,
    });
  });

  it.each([
    [{ ...base, response_format: 'b64_json' }, 'response_format', 'unknown_parameter'],
    [{ model: 'gpt-image-2' }, 'prompt', 'missing_required_parameter'],
    [{ ...base, prompt: '' }, 'prompt', 'string_below_min_length'],
    [{ ...base, prompt: 7 }, 'prompt', 'invalid_type'],
    [{ ...base, n: 0 }, 'n', 'integer_below_min_value'],
    [{ ...base, n: '2' }, 'n', 'invalid_type'],
    [{ ...base, n: 1.5 }, 'n', 'invalid_type'],
    [{ ...base, quality: 'hd' }, 'quality', 'invalid_value'],
    [{ ...base, output_format: 'gif' }, 'output_format', 'invalid_value'],
    [{ ...base, output_compression: 101, output_format: 'jpeg' }, 'output_compression', 'integer_above_max_value'],
    [{ ...base, output_compression: 80 }, 'output_compression', 'invalid_value'],
    [{ ...base, moderation: 'high' }, 'moderation', 'invalid_value'],
    [{ ...base, stream: 'true' }, 'stream', 'invalid_type'],
    [{ ...base, partial_images: 4 }, 'partial_images', 'integer_above_max_value'],
    [{ ...base, background: 'transparent', output_format: 'jpeg' }, 'background', 'invalid_value'],
    [{ ...base, model: 'dall-e-3' }, 'model', 'invalid_value'],
    [{ ...base, input_fidelity: 'high' }, 'input_fidelity', 'unknown_parameter'],
  ])('rejects %j naming %s', (body, param, code) => {
    expect(rejection(() => parseGenerationRequest(body)).body).toMatchObject({ param, code, type: 'invalid_request_error' });
  });

  it('treats null as not given, and allows transparency with PNG or WebP on every model', () => {
    expect(parseGenerationRequest({ ...base, n: null, size: null }).n).toBe(1);
    for (const model of ['gpt-image-2', 'gpt-image-2-2026-04-21', 'gpt-image-2.5-flare', 'gpt-image-2.5-sunburst-2026-09-08', 'gpt-image-1']) {
      for (const format of ['png', 'webp']) {
        expect(parseGenerationRequest({ ...base, model, background: 'transparent', output_format: format })).toMatchObject({ background: 'transparent', outputFormat: format });
      }
      const jpeg = rejection(() => parseGenerationRequest({ ...base, model, background: 'transparent', output_format: 'jpeg' }));
      expect(jpeg.body).toMatchObject({ param: 'background', type: 'invalid_request_error' });
    }
  });

  it('rejects a body that is not an object', () => {
    expect(rejection(() => parseGenerationRequest([base])).status).toBe(400);
  });
});

describe('the GPT Image 2.5 family', () => {
  const FAMILY = ['gpt-image-2.5-flare', 'gpt-image-2.5-flare-2026-09-08', 'gpt-image-2.5-sunburst', 'gpt-image-2.5-sunburst-2026-09-08'];

  it.each(FAMILY)('%s takes gpt-image-2 sizes and the xhigh and max qualities', (model) => {
    expect(parseSize(model, '1536x864')).toEqual({ width: 1536, height: 864 });
    expect(rejection(() => parseSize(model, '4032x1008')).body.param).toBe('size');
    for (const quality of ['low', 'medium', 'high', 'xhigh', 'max'] as const) {
      expect(parseGenerationRequest({ model, prompt: 'x', quality }).quality).toBe(quality);
    }
    expect(parseEditRequest({ model, prompt: 'x', quality: 'max' }, [file(pngOf(16, 16))]).quality).toBe('max');
  });

  it.each(['gpt-image-2', 'gpt-image-2-2026-04-21', 'gpt-image-1', 'gpt-image-1.5'])('%s refuses xhigh and max as OpenAI does', (model) => {
    for (const quality of ['xhigh', 'max']) {
      const error = rejection(() => parseGenerationRequest({ model, prompt: 'x', quality }));
      expect(error.status).toBe(400);
      expect(error.body).toEqual({
        message: `The model '${model}' does not support quality '${quality}'.`,
        type: 'invalid_request_error',
        param: 'quality',
        code: 'unsupported_value',
      });
    }
    expect(rejection(() => parseEditRequest({ model, prompt: 'x', quality: 'xhigh' }, [file(pngOf(16, 16))])).body.param).toBe('quality');
  });

  it('still refuses a quality no model has', () => {
    expect(rejection(() => parseGenerationRequest({ model: 'gpt-image-2.5-flare', prompt: 'x', quality: 'ultra' })).body).toMatchObject({ param: 'quality', code: 'invalid_value' });
  });
});

describe('edit parameters and uploads', () => {
  const fields = { model: 'gpt-image-2', prompt: 'x' };
  const png = pngOf(64, 48);

  it('coerces multipart strings like upstream', () => {
    const job = parseEditRequest({ ...fields, n: '3', stream: 'true', partial_images: '2', output_compression: '50', output_format: 'jpeg' }, [file(png)]);
    expect(job).toMatchObject({ kind: 'edits', n: 3, stream: true, partialImages: 2, outputCompression: 50, references: 1 });
    expect(rejection(() => parseEditRequest({ ...fields, n: 'two' }, [file(png)])).body).toMatchObject({ param: 'n', code: 'invalid_type' });
    expect(rejection(() => parseEditRequest({ ...fields, stream: 'yes' }, [file(png)])).body).toMatchObject({ param: 'stream', code: 'invalid_type' });
  });

  it('needs at least one image, at most 16, each PNG, JPEG or WebP', () => {
    expect(rejection(() => parseEditRequest(fields, [])).body).toMatchObject({ param: 'image', code: 'missing_required_parameter' });
    expect(parseEditRequest(fields, [file(png, 'image[]'), file(jpegOf(20, 20), 'image[]'), file(encodeWebp(gradient(8, 8)), 'image[]')]).references).toBe(3);
    expect(rejection(() => parseEditRequest(fields, Array.from({ length: 17 }, () => file(png, 'image[]')))).body.code).toBe('array_above_max_length');
    const gif = Buffer.from('GIF89a\x10\x00\x10\x00', 'latin1');
    expect(rejection(() => parseEditRequest(fields, [file(png), file(gif)])).body.message).toContain('image 2');
    expect(rejection(() => parseEditRequest({ ...fields, image: 'a string' }, [])).body).toMatchObject({ param: 'image', code: 'invalid_type' });
    expect(rejection(() => parseEditRequest(fields, [file(png, 'picture')])).body.code).toBe('unknown_parameter');
  });

  it('takes a PNG mask with alpha the size of the first image', () => {
    const ok = parseEditRequest(fields, [file(png, 'image[]'), file(pngOf(10, 10), 'image[]'), file(pngOf(64, 48, 9), 'mask')]);
    expect(ok.references).toBe(2);
    const cases: [Uint8Array, RegExp][] = [
      [pngOf(10, 10), /same dimensions/],
      [jpegOf(64, 48), /PNG/],
      [withoutAlpha(pngOf(64, 48)), /alpha/],
    ];
    for (const [mask, why] of cases) {
      const error = rejection(() => parseEditRequest(fields, [file(png), file(mask, 'mask')]));
      expect(error.body.param).toBe('mask');
      expect(error.body.message).toMatch(why);
    }
  });

  it('input_fidelity: high or low, not on gpt-image-1-mini', () => {
    expect(() => parseEditRequest({ ...fields, input_fidelity: 'high' }, [file(png)])).not.toThrow();
    expect(rejection(() => parseEditRequest({ ...fields, input_fidelity: 'max' }, [file(png)])).body.param).toBe('input_fidelity');
    expect(rejection(() => parseEditRequest({ ...fields, model: 'gpt-image-1-mini', input_fidelity: 'low' }, [file(png)])).body.param).toBe('input_fidelity');
  });
});

describe('sniffing', () => {
  it('reads format and size from the bytes', () => {
    expect(sniffImage(pngOf(33, 17))).toEqual({ format: 'png', width: 33, height: 17 });
    expect(sniffImage(jpegOf(33, 17))).toEqual({ format: 'jpeg', width: 33, height: 17 });
    expect(sniffImage(encodeWebp(gradient(33, 17)))).toEqual({ format: 'webp', width: 33, height: 17 });
    expect(sniffImage(Buffer.from('not an image at all, not even close'))).toBeNull();
    expect(sniffImage(pngOf(8, 8).subarray(0, 10))).toBeNull();
  });

  it('tells masks with alpha from masks without', () => {
    expect(pngHasAlpha(encodePng(gradient(4, 4, 0, 0)))).toBe(true);
    expect(pngHasAlpha(withoutAlpha(pngOf(4, 4)))).toBe(false);
  });
});
