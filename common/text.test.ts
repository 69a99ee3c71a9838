import { describe, expect, it } from 'vitest';
import { oneLine, truncate } from './text';

describe('truncate', () => {
  it('leaves text within the limit alone and cuts longer text to the limit, "…" included', () => {
    expect(truncate('Hero banner', 11)).toBe('Hero banner');
    expect(truncate('Hero banner', 10)).toBe('Hero bann…');
    expect(truncate('Hero banner', 10)).toHaveLength(10);
    expect(truncate('', 5)).toBe('');
  });

  it('keeps the text as it is otherwise: spaces before the cut and line breaks stay', () => {
    expect(truncate('no people at all', 4)).toBe('no …');
    expect(truncate('a\nb', 3)).toBe('a\nb');
  });

  it('counts code points, so an emoji is kept whole or left out whole', () => {
    expect(truncate('🌅🌅🌅', 3)).toBe('🌅🌅🌅'); // 6 UTF-16 units, 3 code points
    expect(truncate('ab🌅cd', 4)).toBe('ab🌅…');
    expect(truncate('abc🌅d', 4)).toBe('abc…');
    expect(truncate('🌅🌅🌅🌅', 3)).toBe('🌅🌅…');
  });
});

describe('oneLine', () => {
  it('flattens whitespace and trims the ends', () => {
    expect(oneLine('  Golden hour\n\tportrait  ', 60)).toBe('Golden hour portrait');
    expect(oneLine(' \n ', 60)).toBe('');
  });

  it('cuts to the limit with no space left before "…"', () => {
    const prompt = 'Golden hour portrait of a barista, 85mm lens, shallow depth of field';
    expect(oneLine(prompt, 40)).toBe('Golden hour portrait of a barista, 85mm…');
    expect(oneLine('one two three', 9)).toBe('one two…'); // the cut lands after "two "
    expect([...oneLine('🌅 '.repeat(50), 10)]).toHaveLength(10);
  });
});
