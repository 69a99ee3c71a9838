import { describe, expect, it } from 'vitest';
import { hasChip, toggleChip } from './prompt-chips';

describe('toggleChip', () => {
  it('puts camera and lighting after the subject and style anchors at the end', () => {
    let p = 'A ceramic mug on a walnut desk';
    p = toggleChip(p, 'editorial photography', 'style');
    p = toggleChip(p, '35mm', 'camera');
    p = toggleChip(p, 'soft rim light', 'camera');
    expect(p).toBe('A ceramic mug on a walnut desk, 35mm, soft rim light, editorial photography');
  });

  it('removes a chip that is already there, whatever its case', () => {
    expect(toggleChip('A fox, Golden Hour, watercolour', 'golden hour', 'camera')).toBe('A fox, watercolour');
    expect(hasChip('A fox, Golden Hour', 'golden hour')).toBe(true);
    expect(hasChip('A fox in golden hour light', 'golden hour')).toBe(false);
  });

  it('drops a trailing full stop before appending', () => {
    expect(toggleChip('A fox in the snow.', 'macro', 'camera')).toBe('A fox in the snow, macro');
  });

  it('starts a prompt with the chip when it is empty', () => {
    expect(toggleChip('', 'isometric', 'style')).toBe('isometric');
  });
});
