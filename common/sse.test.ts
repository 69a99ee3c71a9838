// Chunked parsing, CR/LF line ends and the lenient end are covered in ui/lib/sse.test.ts (the
// panel's reader); here, what parseSse gives tests and tools reading a whole response.
import { describe, expect, it } from 'vitest';
import { parseSse } from '../test/support/sse';

describe('parseSse', () => {
  it('names events, defaults the name to "message" and keeps ids', () => {
    expect(parseSse('event: image_edit.partial_image\ndata: {"i":0}\n\nid: 7\ndata: x\n\n')).toEqual([
      { event: 'image_edit.partial_image', data: '{"i":0}', id: null },
      { event: 'message', data: 'x', id: '7' },
    ]);
  });

  it('ignores comments, retry and unknown fields instead of failing', () => {
    expect(parseSse(': keep-alive\n\nretry: soon\nfoo: bar\nevent: error\ndata: {}\n\n')).toEqual([{ event: 'error', data: '{}', id: null }]);
  });

  it('delivers a last event cut off before its blank line, once', () => {
    expect(parseSse('data: a\n\ndata: b\r')).toEqual([
      { event: 'message', data: 'a', id: null },
      { event: 'message', data: 'b', id: null },
    ]);
    expect(parseSse('')).toEqual([]);
  });
});
