import { describe, expect, it } from 'vitest';
import { emptyInsideAction, emptyInsideText } from './empty-inside';

describe('the offer of a selection\'s empty layers', () => {
  it('names frames and shapes apart, and one layer as "it"', () => {
    expect(emptyInsideText({ frames: 4, shapes: 0 })).toBe('4 empty frames inside the selection');
    expect(emptyInsideText({ frames: 0, shapes: 1 })).toBe('1 empty shape inside the selection');
    expect(emptyInsideText({ frames: 1, shapes: 2 })).toBe('1 empty frame and 2 empty shapes inside the selection');
    expect(emptyInsideText({ frames: 0, shapes: 0 })).toBeNull();
    expect(emptyInsideText({ frames: 500, shapes: 0, more: true })).toBe('At least 500 empty frames inside the selection'); // counting stopped early
    expect(emptyInsideAction({ frames: 1, shapes: 0 }, 50)).toBe('Select it to fill');
    expect(emptyInsideAction({ frames: 3, shapes: 1 }, 50)).toBe('Select them to fill');
    // more than one run takes: the first 50, and the rest on the next click once those are filled
    expect(emptyInsideAction({ frames: 120, shapes: 4 }, 50)).toBe('Select the first 50 to fill');
    expect(emptyInsideAction({ frames: 50, shapes: 0, more: true }, 50)).toBe('Select the first 50 to fill');
  });
});
