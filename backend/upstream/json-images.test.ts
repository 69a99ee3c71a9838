import { describe, expect, it } from 'vitest';
import { Base64Bytes } from './base64-bytes';
import { joinWith, readImagesJson } from './json-images';

const enc = new TextEncoder();
const dec = new TextDecoder();
/** `text` as the network might cut it: pieces of `size` bytes. */
const chunks = (text: string, size: number) => {
  const bytes = enc.encode(text);
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
};
const A = `iVBORw0KGgo${'Qk1+/wAA'.repeat(500)}`;
const B = `UklGRh${'ZmFjZQ=='.repeat(300)}`;
const image = (value: unknown) => (value instanceof Base64Bytes ? value.toString() : value);

describe('readImagesJson', () => {
  it.each([1, 7, 4096, 1 << 20])('keeps every image as its bytes, cut into %i-byte chunks', (size) => {
    const text = `{\n  "created": 1,\n  "data": [\n    { "b64_json" : "${A}" },\n    {"b64_json":"${B}", "revised_prompt": "a \\"fox\\""}\n  ],\n  "usage": {"output_tokens": 5}\n}\n`;
    const { body, splice } = readImagesJson(chunks(text, size));
    const data = (body as { data: Array<Record<string, unknown>> }).data;
    expect(data[0]!.b64_json).toBeInstanceOf(Base64Bytes);
    expect(data.map((d) => image(d.b64_json))).toEqual([A, B]);
    expect(data[1]!.revised_prompt).toBe('a "fox"');
    expect(body).toMatchObject({ created: 1, usage: { output_tokens: 5 } });
    const close = text.lastIndexOf('}');
    expect(dec.decode(joinWith(splice!, ',"framefill":{}'))).toBe(`${text.slice(0, close)},"framefill":{}${text.slice(close)}`);
  });

  it('parses whole, images as text, when a cut would not land in a data entry or a value is escaped', () => {
    for (const text of [
      `{"data":[{"b64_json":"${A}"}],"extra":{"b64_json":"${B}"}}`,
      `{"data":[{"b64_json":"${A.replace('/', '\\/')}"}]}`,
      `{"data":[{"b64_json":"${A}"}],"framefill":{"cost_usd":0}}`,
    ]) {
      const { body } = readImagesJson(chunks(text, 64));
      expect(body, text).toEqual(JSON.parse(text));
    }
  });

  it('is not fooled by the key written inside a string', () => {
    const text = `{"data":[{"b64_json":"${A}","revised_prompt":"say \\"b64_json\\": \\"x\\""}]}`;
    const { body } = readImagesJson(chunks(text, 9));
    const entry = (body as { data: Array<Record<string, unknown>> }).data[0]!;
    expect(entry.b64_json).toBeInstanceOf(Base64Bytes);
    expect({ ...entry, b64_json: image(entry.b64_json) }).toEqual(JSON.parse(text).data[0]);
  });

  it('offers no splice where framefill cannot go safely, and throws on what is not JSON', () => {
    for (const text of ['{}', '{ \n }', '[1]', '"x"', 'null']) expect(readImagesJson(chunks(text, 3)).splice, text).toBeNull();
    for (const text of ['', '{"data":[]', `{"data":[{"b64_json":"${A}"}]`, '{"a":1} x']) expect(() => readImagesJson(chunks(text, 5)), text).toThrow(SyntaxError);
  });
});
