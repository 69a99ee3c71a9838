import { describe, expect, it } from 'vitest';
import { freeSpotNear, isWithin, overlaps } from './free-spot';
import { debounce } from './canvas-watch';

const view = { x: -720, y: -450, width: 1440, height: 900 };
const box = (x: number, y: number, width = 100, height = 100) => ({ x, y, width, height });

describe('freeSpotNear', () => {
  it('keeps the middle of the view when nothing is there', () => {
    expect(freeSpotNear(box(-50, -50), [box(400, 0)], 24, view)).toEqual(box(-50, -50));
  });

  it('moves beside a frame it would cover, nearest side first, keeping its row', () => {
    const frame = box(-100, -100, 150, 200); // right edge at 50, nearer than the left edge
    const spot = freeSpotNear(box(-50, -50), [frame], 24, view);
    expect(overlaps(spot, frame)).toBe(false);
    expect(spot).toEqual(box(74, -50));
  });

  it('finds room among several frames and prefers a spot in view', () => {
    const frames = [box(-300, -300, 600, 600), box(324, -300, 300, 600)];
    const spot = freeSpotNear(box(-50, -50), frames, 24, view);
    expect(frames.some((f) => overlaps(spot, f))).toBe(false);
    expect(isWithin(spot, view)).toBe(true);
  });

  it('goes right of everything when every side is taken', () => {
    const wall = [box(-2000, -2000, 4000, 4000)];
    const spot = freeSpotNear(box(-50, -50), wall, 24, view);
    expect(overlaps(spot, wall[0]!)).toBe(false);
  });
});

describe('debounce', () => {
  it('calls once after a burst settles, and not at all once cancelled', async () => {
    let calls = 0;
    const settled = debounce(() => calls++, 20);
    for (let i = 0; i < 10; i++) settled();
    expect(calls).toBe(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(calls).toBe(1);
    settled();
    settled.cancel();
    await new Promise((r) => setTimeout(r, 60));
    expect(calls).toBe(1);
  });
});
