// The edit body sent to OpenAI: a well-formed multipart form (as undici/any server reads it) with
// the validated fields and every file's bytes exactly as received, under clean names and types.
import { describe, expect, it } from 'vitest';
import { multipartBody } from './edit-upload';

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);

describe('multipartBody', () => {
  it('reads back as the same fields and files, the files byte for byte', async () => {
    const image1 = bytes(100_000, 1);
    const image2 = bytes(10, 2).subarray(3); // a view, as the request parser hands them over
    const mask = bytes(0, 3);
    const { body, contentType } = multipartBody(
      { prompt: 'a "quoted" café\r\nline two', model: 'gpt-image-2', n: 2, stream: true, size: undefined },
      [
        { field: 'image[]', bytes: image1, filename: 'image-1.png', type: 'image/png' },
        { field: 'image[]', bytes: image2, filename: 'image-2.jpg', type: 'image/jpeg' },
        { field: 'mask', bytes: mask, filename: 'mask.png', type: 'image/png' },
      ],
    );
    expect(body.type).toBe(contentType);
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    expect([...form.keys()]).toEqual(['prompt', 'model', 'n', 'stream', 'image[]', 'image[]', 'mask']);
    expect(form.get('prompt')).toBe('a "quoted" café\r\nline two');
    expect(form.get('n')).toBe('2');
    expect(form.get('stream')).toBe('true');
    const files = form.getAll('image[]') as File[];
    expect(files.map((f) => [f.name, f.type])).toEqual([['image-1.png', 'image/png'], ['image-2.jpg', 'image/jpeg']]);
    expect(new Uint8Array(await files[0]!.arrayBuffer())).toEqual(image1);
    expect(new Uint8Array(await files[1]!.arrayBuffer())).toEqual(image2);
    expect((form.get('mask') as File).size).toBe(0);
    expect(body.size).toBeLessThan(image1.length + image2.length + 1_500);
  });

  it('uses a fresh boundary per body', () => {
    const a = multipartBody({ prompt: 'x' }, []).contentType;
    const b = multipartBody({ prompt: 'x' }, []).contentType;
    expect(a).toMatch(/^multipart\/form-data; boundary=----framefill-[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
  });
});
