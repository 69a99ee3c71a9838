// The edit endpoint's multipart parser: what browsers, curl and the SDKs send parses exactly as
// undici's FormData does; files come out as views of the body; anything malformed is refused.
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../upstream/concat-bytes';
import { boundaryOf, MAX_PARTS, MultipartError, parseMultipart, type FormPart } from './multipart';

const enc = new TextEncoder();
const bytesOf = (...pieces: Array<string | Uint8Array>) => concatBytes(pieces.map((p) => (typeof p === 'string' ? enc.encode(p) : p)));
/** Bytes that look like multipart framing: CR, LF, dashes and the boundary's own letters. */
const tricky = (n: number, seed: number) => {
  const alphabet = enc.encode('\r\n--abcXYZ\r\n--\0\xff');
  let s = seed;
  return Uint8Array.from({ length: n }, () => alphabet[(s = (Math.imul(s, 1103515245) + 12345) >>> 0) % alphabet.length]!);
};

/** Encodes with undici (what fetch and the SDK send), parses with ours, and with undici. */
async function both(form: FormData): Promise<{ ours: FormPart[]; theirs: FormPart[] }> {
  const request = new Request('http://x/', { method: 'POST', body: form });
  const type = request.headers.get('content-type')!;
  const body = new Uint8Array(await request.arrayBuffer());
  const ours = parseMultipart(body, boundaryOf(type)!);
  const theirs: FormPart[] = [];
  for (const [name, value] of await new Response(body, { headers: { 'content-type': type } }).formData()) {
    theirs.push(typeof value === 'string' ? { kind: 'text', name, value } : { kind: 'file', name, filename: value.name, type: value.type, bytes: new Uint8Array(await value.arrayBuffer()) });
  }
  return { ours, theirs };
}

describe('parseMultipart', () => {
  it('reads what fetch/undici sends exactly as undici reads it: fields, names, filenames, bytes', async () => {
    const form = new FormData();
    form.append('prompt', 'A café at dusk — "warm" light\r\nsecond line');
    form.append('n', '2');
    form.append('image[]', new Blob([tricky(70_000, 1)], { type: 'image/png' }), 'ref "one".png');
    form.append('image[]', new Blob([tricky(3, 2)], { type: 'image/jpeg' }), 'żółw.jpg');
    form.append('mask', new Blob([]), '');
    const { ours, theirs } = await both(form);
    expect(ours).toEqual(theirs);
    expect(ours.map((p) => p.name)).toEqual(['prompt', 'n', 'image[]', 'image[]', 'mask']);
  });

  it('gives files as views of the body, not copies', () => {
    const body = bytesOf('--b\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n', 'PNGDATA', '\r\n--b--\r\n');
    const [part] = parseMultipart(body, 'b');
    expect(part).toMatchObject({ kind: 'file', name: 'image', filename: 'a.png', type: 'image/png' });
    const file = part as Extract<FormPart, { kind: 'file' }>;
    expect(new TextDecoder().decode(file.bytes)).toBe('PNGDATA');
    expect(file.bytes.buffer).toBe(body.buffer);
  });

  it('skips a preamble and an epilogue, accepts padding after a boundary, filename* and unquoted names', () => {
    const body = bytesOf(
      'this is a preamble\r\n--xyz  \r\n',
      'content-disposition: form-data; name=prompt\r\n\r\nnight\r\n',
      "--xyz\r\nContent-Disposition: form-data; name=\"image\"; filename=\"fallback.png\"; filename*=UTF-8''%C5%BC%C3%B3%C5%82w.png\r\n\r\n",
      'x\r\n--xyz--\r\nepilogue',
    );
    expect(parseMultipart(body, 'xyz')).toEqual([
      { kind: 'text', name: 'prompt', value: 'night' },
      { kind: 'file', name: 'image', filename: 'żółw.png', type: 'application/octet-stream', bytes: enc.encode('x') },
    ]);
  });

  it.each([
    ['no boundary in the body', '--other\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--other--\r\n', /no part starts with the boundary/],
    ['a cut-off body', '--b\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nnight', /cut off/],
    ['no closing boundary', '--b\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nnight\r\n--b', /closing boundary/],
    ['LF-only line breaks', '--b\nContent-Disposition: form-data; name="prompt"\n\nnight\n--b--\n', /line break/],
    ['a part without a name', '--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n', /no Content-Disposition with a name/],
    ['a part without headers', '--b\r\n\r\nx\r\n--b--\r\n', /no Content-Disposition/],
    ['a disposition other than form-data', '--b\r\nContent-Disposition: attachment; name="a"\r\n\r\nx\r\n--b--\r\n', /not form-data/],
    ['an unclosed quote', '--b\r\nContent-Disposition: form-data; name="a\r\n\r\nx\r\n--b--\r\n', /unclosed quote/],
    ['a header line without a colon', '--b\r\nContent-Disposition: form-data; name="a"\r\nnonsense\r\n\r\nx\r\n--b--\r\n', /malformed header/],
    ['base64 transfer encoding', '--b\r\nContent-Disposition: form-data; name="a"; filename="a.png"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n', /not supported/],
    ['a bad filename*', "--b\r\nContent-Disposition: form-data; name=\"a\"; filename*=latin1''x.png\r\n\r\nx\r\n--b--\r\n", /filename\*/],
    ['an empty body', '', /no part starts/],
  ])('refuses %s with a MultipartError saying why', (_case, body, why) => {
    expect(() => parseMultipart(enc.encode(body), 'b')).toThrow(MultipartError);
    expect(() => parseMultipart(enc.encode(body), 'b')).toThrow(why);
  });

  it(`refuses more than ${MAX_PARTS} parts and headers beyond the limit`, () => {
    const part = '--b\r\nContent-Disposition: form-data; name="n"\r\n\r\n1\r\n';
    expect(() => parseMultipart(enc.encode(`${part.repeat(MAX_PARTS + 1)}--b--\r\n`), 'b')).toThrow(/more than 256 parts/);
    expect(parseMultipart(enc.encode(`${part.repeat(MAX_PARTS)}--b--\r\n`), 'b')).toHaveLength(MAX_PARTS);
    const longHeader = `--b\r\nContent-Disposition: form-data; name="n"\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n1\r\n--b--\r\n`;
    expect(() => parseMultipart(enc.encode(longHeader), 'b')).toThrow(/headers are longer/);
  });

  it('finds the boundary inside data full of near-misses', () => {
    const near = '\r\n--boundar\r\n--boundarx\r\n-\r\n--'.repeat(2_000);
    const body = bytesOf('--boundary\r\nContent-Disposition: form-data; name="f"; filename="f"\r\n\r\n', near, '\r\n--boundary--\r\n');
    const [file] = parseMultipart(body, 'boundary') as Array<Extract<FormPart, { kind: 'file' }>>;
    expect(new TextDecoder().decode(file!.bytes)).toBe(near);
  });
});

describe('boundaryOf', () => {
  it.each([
    ['multipart/form-data; boundary=abc', 'abc'],
    ['multipart/form-data; charset=utf-8; BOUNDARY="a b:c"', 'a b:c'],
    ['multipart/form-data;boundary=----WebKitFormBoundaryx7Yz', '----WebKitFormBoundaryx7Yz'],
  ])('%s → %s', (type, boundary) => expect(boundaryOf(type)).toBe(boundary));

  it.each([['multipart/form-data'], ['multipart/form-data; boundary='], ['multipart/form-data; boundary=""'], [`multipart/form-data; boundary=${'x'.repeat(71)}`]])(
    'has no usable boundary in %s',
    (type) => expect(boundaryOf(type)).toBeNull(),
  );
});
