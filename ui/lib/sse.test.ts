import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from '../../common/sse';
import { readSse } from './sse';

function parseChunks(chunks: string[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser((e) => events.push(e));
  for (const c of chunks) parser.push(c);
  parser.end();
  return events;
}

/** every way of cutting `text` into two chunks, plus one character at a time */
function splits(text: string): string[][] {
  const out: string[][] = [[...text]];
  for (let i = 0; i <= text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

const stream =
  ': keep-alive comment\r\n' +
  'event: image_generation.partial_image\r\n' +
  'data: {"a":1}\r\n' +
  '\r\n' +
  'event: image_generation.completed\n' +
  'data: {"b":\n' +
  'data:2}\n' +
  '\n' +
  'data: plain\r\r';

describe('SSE parser', () => {
  it('parses events with comments, CRLF/LF/CR line ends and multi-line data, however the stream is cut', () => {
    for (const chunks of splits(stream)) {
      expect(parseChunks(chunks)).toEqual([
        { event: 'image_generation.partial_image', data: '{"a":1}', id: null },
        { event: 'image_generation.completed', data: '{"b":\n2}', id: null },
        { event: 'message', data: 'plain', id: null },
      ]);
    }
  });

  it('does not dispatch events without data and delivers a last event missing its blank line', () => {
    expect(parseChunks(['event: ping\n\n', 'data: last'])).toEqual([{ event: 'message', data: 'last', id: null }]);
  });

  it('keeps one space after the colon only', () => {
    expect(parseChunks(['data:  two\n\n'])[0]!.data).toBe(' two');
  });

  it('reads a ReadableStream of bytes split inside a multi-byte character', async () => {
    const bytes = new TextEncoder().encode('event: x\ndata: café ✓\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.slice(i, i + 3));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    await readSse(body, (e) => events.push(e));
    expect(events).toEqual([{ event: 'x', data: 'café ✓', id: null }]);
  });

  it('stops reading when aborted', async () => {
    const body = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new TextEncoder().encode('data: 1\n\n')); } });
    const controller = new AbortController();
    const events: SseEvent[] = [];
    const done = readSse(body, (e) => { events.push(e); controller.abort(); }, controller.signal);
    await expect(done).rejects.toBeTruthy();
    expect(events).toHaveLength(1);
  });
});
