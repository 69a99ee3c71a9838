import { describe, expect, it } from 'vitest';
import { placedText } from './card-wording';

describe('placedText', () => {
  it('says what happened: a restyle above its layer, a fill in its frame, a new image at the centre', () => {
    expect(placedText({ targetId: '1:2', targetName: 'Product card', sendsTarget: true })).toBe('Placed above Product card.');
    expect(placedText({ targetId: '1:3', targetName: 'Product card', sendsTarget: false })).toBe('Filled Product card.');
    expect(placedText({ targetId: null, targetName: 'New image', sendsTarget: false })).toBe('Added at the viewport centre.');
    // (issue 14) Finalize sends the draft and replaces it in place
    expect(placedText({ targetId: '1:4', targetName: 'Photo', sendsTarget: true, inPlace: true })).toBe('Replaced the image in Photo.');
  });

  it('says what an edit tool did (issue 15)', () => {
    const spec = (tool: 'expand' | 'area' | 'cutout' | 'upscale') => ({ targetId: '1:2', targetName: 'Hero', sendsTarget: true, tool: { tool, parentHash: 'h', areaId: null, source: 'image' as const } });
    expect(placedText(spec('expand'))).toBe('Expanded the image in Hero.');
    expect(placedText(spec('area'))).toBe('Changed the area in Hero.');
    expect(placedText(spec('cutout'))).toBe('Cut out above Hero.');
    expect(placedText(spec('upscale'))).toBe('Upscaled the image in Hero.');
  });

  it('names the card a target sits in, so twenty frames called "Photo" are told apart', () => {
    const photo = { targetId: '1:5', targetName: 'Photo', targetContext: 'Product card / Copper kettle', sendsTarget: false };
    expect(placedText(photo)).toBe('Filled Photo in Product card / Copper kettle.');
    expect(placedText({ ...photo, sendsTarget: true, inPlace: true })).toBe('Replaced the image in Photo in Product card / Copper kettle.');
  });
});
