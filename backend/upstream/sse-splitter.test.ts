// The upstream event splitter and reader: whole events out of arbitrary chunking, relayed
// without copies, completed events read without decoding their image.
import { describe, expect, it } from 'vitest';
import { EventBytes, SseEventTooLarge, SseSplitter, type RawSseEvent } from './sse-splitter';
import { Base64Bytes } from './base64-bytes';
import { readUpstreamEvent } from './events';
import { concatBytes } from './concat-bytes';

const enc = new TextEncoder();
const dec = new TextDecoder();
const text = (e: RawSseEvent) => dec.decode(joinParts(e.parts));
const joinParts = concatBytes;
/** Every event `splitter` completes from these chunks. */
function split(splitter: SseSplitter, ...chunks: Uint8Array[]): RawSseEvent[] {
  const events: RawSseEvent[] = [];
  for (const chunk of chunks) splitter.push(chunk, (e) => void events.push(e));
  return events;
}
const raw = (s: string): RawSseEvent => {
  const events = split(new SseSplitter(1 << 30), enc.encode(s));
  expect(events).toHaveLength(1);
  return events[0]!;
};

const B64 = 'iVBORw0KGgo' + 'AbC+/9'.repeat(2000) + '==';
const partial = `event: image_generation.partial_image\ndata: {"type":"image_generation.partial_image", "b64_json":"${B64}","partial_image_index":0}\n\n`;
const completed = `event: image_generation.completed\ndata: {"type":"image_generation.completed","b64_json":"${B64}","created_at":1,"size":"1024x1024","usage":{"input_tokens":10,"output_tokens":200}}\n\n`;

describe('SseSplitter', () => {
  const stream = `${partial}: keepalive\n\n${completed}event: error\ndata: {"error":{"message":"x"}}\n\n`;
  const expected = [partial, ': keepalive\n\n', completed, 'event: error\ndata: {"error":{"message":"x"}}\n\n'];

  it.each([
    ['LF', (s: string) => s],
    ['CRLF', (s: string) => s.replace(/\n/g, '\r\n')],
  ])('gives the same events (%s) however the bytes are cut into chunks', (_name, form) => {
    const bytes = enc.encode(form(stream));
    const want = expected.map(form);
    // Cuts at every position near the event boundaries (the blank line split every way), and a few sizes.
    const boundaries = want.slice(0, -1).reduce<number[]>((at, e) => [...at, (at.at(-1) ?? 0) + enc.encode(e).length], []);
    const cuts: number[][] = [];
    for (const b of boundaries) for (let d = -4; d <= 4; d++) cuts.push([b + d]);
    for (const size of [1, 7, 4096, 65_536]) cuts.push(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => i * size).slice(1));
    for (const at of cuts) {
      const splitter = new SseSplitter(1 << 30);
      const chunks: Uint8Array[] = [];
      let from = 0;
      for (const cut of [...at, bytes.length]) {
        chunks.push(bytes.subarray(from, cut));
        from = cut;
      }
      const events = split(splitter, ...chunks);
      expect(events.map(text)).toEqual(want);
      expect(splitter.pendingBytes).toBe(0);
    }
  });

  it('hands out slices of the chunks it was given: an event is relayed without a copy', () => {
    const bytes = enc.encode(partial);
    const chunks = [bytes.slice(0, 1000), bytes.slice(1000, 5000), bytes.slice(5000)];
    const events = split(new SseSplitter(1 << 30), ...chunks);
    expect(events).toHaveLength(1);
    expect(events[0]!.parts.map((p) => p.buffer)).toEqual(chunks.map((c) => c.buffer));
    expect(events[0]!.lines).toBe(3);
  });

  it('keeps a cut-off event pending (never emitted) and refuses one that grows without end', () => {
    const splitter = new SseSplitter(10_000);
    expect(split(splitter, enc.encode(partial.slice(0, 5_000)))).toEqual([]);
    expect(splitter.pendingBytes).toBe(5_000);
    expect(() => split(splitter, enc.encode(partial.slice(5_000)))).toThrow(SseEventTooLarge);
  });

  it('stops at the event its handler refuses, leaving the rest of the chunk unread', () => {
    const splitter = new SseSplitter(1 << 30);
    const seen: string[] = [];
    const more = splitter.push(enc.encode('data: 1\n\ndata: [DONE]\n\ndata: 3\n\n'), (e) => {
      seen.push(text(e));
      return !text(e).includes('DONE');
    });
    expect(more).toBe(false);
    expect(seen).toEqual(['data: 1\n\n', 'data: [DONE]\n\n']);
  });
});

describe('EventBytes', () => {
  it('searches, slices and decodes across parts as if they were one array', () => {
    const whole = enc.encode('event: x\ndata: {"a":"héllo","b64_json":"QUJD"}\n\n');
    for (const size of [1, 2, 5, 64]) {
      const parts: Uint8Array[] = [];
      for (let i = 0; i < whole.length; i += size) parts.push(whole.slice(i, i + size));
      const bytes = new EventBytes(parts);
      expect(bytes.length).toBe(whole.length);
      for (const b of [0x0a, 0x22, 0x7b, 0x51]) for (const from of [0, 9, 20]) expect(bytes.indexOf(b, from)).toBe(whole.indexOf(b, from));
      expect(bytes.indexOf(0x0a, 0, 8)).toBe(-1);
      expect(bytes.indexOfSequence(enc.encode('"b64_json":"'), 0)).toBe(dec.decode(whole).indexOf('"b64_json":"') + 1); // é is 2 bytes
      expect(bytes.decode(0, whole.length)).toBe(dec.decode(whole));
      expect(joinParts(bytes.slices(3, 30))).toEqual(whole.subarray(3, 30));
    }
  });
});

describe('readUpstreamEvent', () => {
  it('reads a completed event delivered in many small chunks the same way', () => {
    const bytes = enc.encode(completed);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 997) chunks.push(bytes.slice(i, i + 997));
    const events = split(new SseSplitter(1 << 30), ...chunks);
    const item = readUpstreamEvent(events[0]!, true);
    if (item.kind !== 'completed') throw new Error(item.kind);
    // The image as the bytes it came in (views of the chunks, never a JS string).
    expect(item.image).toBeInstanceOf(Base64Bytes);
    expect(String(item.image)).toBe(B64);
    expect(item.event.usage).toEqual({ input_tokens: 10, output_tokens: 200 });
    expect(dec.decode(joinParts(item.splice!.after))).toBe('}\n\n');
  });

  it('relays a partial image as it arrived (no parse), marked partial for the charge', () => {
    expect(readUpstreamEvent(raw(partial), true)).toEqual({ kind: 'forward', partial: true });
    expect(readUpstreamEvent(raw(partial.replace(/\n/g, '\r\n')), true)).toEqual({ kind: 'forward', partial: true });
  });

  it('reads a completed event with its image cut out, and the image only when asked for', () => {
    const without = readUpstreamEvent(raw(completed), false);
    if (without.kind !== 'completed') throw new Error(without.kind);
    expect(without.image).toBeNull();
    expect(without.event).toEqual({ type: 'image_generation.completed', b64_json: '', created_at: 1, size: '1024x1024', usage: { input_tokens: 10, output_tokens: 200 } });
    expect(dec.decode(joinParts([...without.splice!.before, ...without.splice!.after]))).toBe(completed);
    expect(dec.decode(joinParts(without.splice!.after))).toBe('}\n\n');
    const withImage = readUpstreamEvent(raw(completed), true);
    expect(withImage.kind === 'completed' && String(withImage.image)).toBe(B64);
  });

  it('cuts the image out however the JSON is spaced, as a non-stream body\'s', () => {
    const spaced = completed.replace('"b64_json":"', '"b64_json" : "');
    expect(spaced).not.toBe(completed);
    const item = readUpstreamEvent(raw(spaced), true);
    if (item.kind !== 'completed') throw new Error(item.kind);
    expect(item.image).toBeInstanceOf(Base64Bytes);
    expect(String(item.image)).toBe(B64);
    expect(dec.decode(joinParts([...item.splice!.before, ...item.splice!.after]))).toBe(spaced);
  });

  it('parses unusual completed events whole (escaped slashes, a nested b64_json, no event line)', () => {
    const escaped = completed.replace(B64, B64.replace(/\//g, '\\/'));
    const nested = `event: image_generation.completed\ndata: {"type":"image_generation.completed","meta":{"b64_json":"x"},"b64_json":"${B64}"}\n\n`;
    const dataOnly = completed.slice(completed.indexOf('data:'));
    for (const form of [escaped, nested, dataOnly]) {
      const item = readUpstreamEvent(raw(form), true);
      if (item.kind !== 'completed') throw new Error(item.kind);
      expect(item.image).toBe(B64);
      expect(item.event.b64_json).toBe(B64);
      expect(item.splice).toBeNull(); // relayed re-serialised
    }
  });

  it('reads errors, [DONE], comments and broken JSON like the SDK', () => {
    expect(readUpstreamEvent(raw('event: error\ndata: {"type":"error","error":{"message":"boom","code":"x"}}\n\n'), false)).toEqual({ kind: 'error', error: { message: 'boom', code: 'x' } });
    expect(readUpstreamEvent(raw('data: [DONE]\n\n'), false)).toEqual({ kind: 'done' });
    expect(readUpstreamEvent(raw(': keepalive\n\n'), false)).toEqual({ kind: 'ignore' });
    expect(() => readUpstreamEvent(raw('event: image_generation.partial_image\ndata: {"type":"image_generation.partial_image","b64_json":"iVBOR\n\n'), false)).toThrow(SyntaxError);
    expect(() => readUpstreamEvent(raw('event: image_generation.completed\ndata: {"type":"image_generation.completed","b64_json":"iVBOR\n\n'), false)).toThrow(SyntaxError);
  });
});
