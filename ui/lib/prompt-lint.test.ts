import { describe, expect, it } from 'vitest';
import { lintPrompt } from './prompt-lint';

const ids = (prompt: string, hd = false) => lintPrompt(prompt, { hd }).map((h) => h.id);

describe('lintPrompt', () => {
  it('says nothing about an empty prompt or a good one', () => {
    expect(ids('')).toEqual([]);
    expect(ids('A ceramic mug on a walnut desk, 35mm, soft rim light, editorial photography')).toEqual([]);
    expect(ids('Designer chair in a sunlit loft')).toEqual([]);
  });

  it.each([
    "A quiet beach at dawn, don't include any boats",
    'Mountain lake, no people',
    'Coffee cup on a table without text',
    'Product shot of a sneaker, avoid shadows',
    'Do not show logos on the bottle',
  ])('flags negative phrasing in %j', (prompt) => {
    const hints = lintPrompt(prompt, { hd: false });
    expect(hints.map((h) => h.id)).toContain('negative');
    expect(hints.find((h) => h.id === 'negative')!.message).toMatch(/Say what you want instead/);
  });

  it('drops the hint once the prompt says what it wants', () => {
    expect(ids('Mountain lake, no people')).toContain('negative');
    expect(ids('Mountain lake, an empty shoreline')).not.toContain('negative');
  });

  it.each(['Generate me an image of a red fox', 'Create a picture of a red fox', 'Please make an illustration of a red fox', 'Can you draw me a red fox'])(
    'flags the preamble in %j and quotes the subject',
    (prompt) => {
      const hint = lintPrompt(prompt, { hd: false }).find((h) => h.id === 'preamble');
      expect(hint?.message).toMatch(/Lead with the subject: start with “a red fox”/);
    },
  );

  it('does not mistake a subject for a preamble', () => {
    expect(ids('Design studio interior with plants')).not.toContain('preamble');
    expect(ids('Render farm servers glowing blue')).not.toContain('preamble');
  });

  it('asks for more detail when a short prompt goes to HD', () => {
    expect(ids('red fox', true)).toContain('short-hd');
    expect(ids('red fox', false)).not.toContain('short-hd');
    expect(ids('A red fox curled in fresh snow at dusk, 85mm, soft rim light, editorial photography', true)).not.toContain('short-hd');
  });
});
