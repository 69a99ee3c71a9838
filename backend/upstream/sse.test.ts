import { describe, expect, it } from 'vitest';
import { parseSse } from '../../test/support/sse';
import { sseComment, sseEvent } from './sse';

describe('sse', () => {
  it('encodes events like OpenAI and parses them back, skipping comments', () => {
    const text = new TextDecoder().decode(sseEvent('image_generation.partial_image', { type: 'image_generation.partial_image', n: 1 }));
    expect(text).toBe('event: image_generation.partial_image\ndata: {"type":"image_generation.partial_image","n":1}\n\n');
    const all = text + new TextDecoder().decode(sseComment('keepalive')) + 'event: error\ndata: {"a":\ndata: 1}\n\n';
    expect(parseSse(all)).toEqual([
      { event: 'image_generation.partial_image', data: '{"type":"image_generation.partial_image","n":1}', id: null },
      { event: 'error', data: '{"a":\n1}', id: null },
    ]);
  });
});
