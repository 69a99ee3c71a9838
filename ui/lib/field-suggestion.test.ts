import { describe, expect, it } from 'vitest';
import { startWithTextField, suggestTextField } from './field-suggestion';

const card = (title?: string) => (title ? { texts: [title, '$24'] } : {});

describe('offering {text} for frames with text of their own', () => {
  it('offers it when two or more frames each sit with a different text, showing two of them', () => {
    expect(suggestTextField([card('Copper kettle'), card('Linen bath towel'), card('Oak cutting board')], false)).toEqual({ frames: 3, examples: ['Copper kettle', 'Linen bath towel'] });
    expect(suggestTextField([card('Copper kettle'), card(), card('Wool throw')], false)).toEqual({ frames: 2, examples: ['Copper kettle', 'Wool throw'] });
  });

  it('stays quiet for one frame, for frames sharing one text, without texts, or once the prompt uses fields', () => {
    expect(suggestTextField([card('Copper kettle')], false)).toBeNull();
    expect(suggestTextField([card('Sale'), card('Sale')], false)).toBeNull();
    expect(suggestTextField([card(), card()], false)).toBeNull();
    expect(suggestTextField([card('Copper kettle'), { texts: ['   '] }], false)).toBeNull(); // a blank text fills nothing
    expect(suggestTextField([card('Copper kettle'), card('Wool throw')], true)).toBeNull();
  });

  it('puts {text} first, as the subject, and keeps the rest as written', () => {
    expect(startWithTextField('Studio product photo, 50mm, softbox')).toBe('{text}, studio product photo, 50mm, softbox');
    expect(startWithTextField('HDR interior, wide angle')).toBe('{text}, HDR interior, wide angle');
    expect(startWithTextField('  ')).toBe('{text}');
  });
});
