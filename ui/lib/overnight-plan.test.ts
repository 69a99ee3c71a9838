import { describe, expect, it } from 'vitest';
import type { Batch } from '../../backend/contract';
import type { ScheduledBatch } from '../../plugin/messages';
import type { JobSpec } from '../run/job';
import { batchItemOf, batchUsd, collection, discountWords, framesOnTheWay, landedText, onTheWayNote, onTheWayProblem, overnightProblem, progressText, runHistoryEntry, scheduleSignature, scheduledItemOf } from './overnight-plan';

const spec = (over: Partial<JobSpec> = {}): JobSpec => ({
  kind: 'generate',
  targetId: '1:2',
  targetName: 'Hero',
  prompt: 'A kettle',
  tier: 'medium',
  size: '1024x1024',
  n: 1,
  referenceIds: [],
  sendsTarget: false,
  maskId: null,
  exportMaxSide: 2048,
  outputFormat: 'png',
  model: 'gpt-image-2',
  transparent: false,
  estimateUsd: 0.05,
  ...over,
});

describe('the overnight price', () => {
  it('is the estimate times the backend discount, in words the user reads', () => {
    expect(batchUsd({ totalUsd: 0.318, previewUsd: 0 }, 0.5)).toBe(0.159);
    expect(discountWords(0.5)).toBe('half price');
    expect(discountWords(0.6)).toBe('40% off');
  });

  it("leaves out the stream previews a Now run pays for: a batch doesn't stream", () => {
    // 4 Medium images Now: $0.212 for the images, $0.024 for their 8 previews
    expect(batchUsd({ totalUsd: 0.236, previewUsd: 0.024 }, 0.5)).toBe(0.106);
  });
});

describe('a scheduling\'s signature (which Run reuses an unanswered key)', () => {
  it('is the same for the same jobs and differs when any job does', () => {
    const plan = [spec(), spec({ targetId: '2' })];
    expect(scheduleSignature(plan)).toBe(scheduleSignature([spec(), spec({ targetId: '2' })]));
    expect(scheduleSignature(plan)).toMatch(/^[0-9a-f]{16}$/);
    for (const other of [[spec(), spec({ targetId: '3' })], [spec({ prompt: 'A copper kettle, 85mm' }), spec({ targetId: '2' })], [spec()], [...plan, spec()]]) {
      expect(scheduleSignature(other)).not.toBe(scheduleSignature(plan));
    }
  });
});

describe('batch items', () => {
  it('carry a generation as the image routes take it', () => {
    expect(batchItemOf('a', spec())).toEqual({ id: 'a', kind: 'generation', prompt: 'A kettle', model: 'gpt-image-2', quality: 'medium', size: '1024x1024', n: 1, output_format: 'png' });
  });

  it('carry an edit with its images and mask, and transparency as PNG', () => {
    const item = batchItemOf('b', spec({ kind: 'edit', transparent: true, outputFormat: 'jpeg' }), { images: ['AAA', 'BBB'], mask: 'CCC' });
    expect(item).toMatchObject({ kind: 'edit', images: ['AAA', 'BBB'], mask: 'CCC', output_format: 'png', background: 'transparent' });
  });

  it('are kept in the file with what provenance needs', () => {
    expect(scheduledItemOf('a', spec({ referenceIds: ['9:9'] }))).toMatchObject({ id: 'a', targetId: '1:2', targetName: 'Hero', place: null, tier: 'medium', variations: 1, referenceIds: ['9:9'] });
  });
});

describe('collecting a batch', () => {
  const record: ScheduledBatch = {
    id: 'fb_1', createdAt: 0, discount: 0.5, reservedUsd: 0.1, nowUsd: 0.2,
    items: ['a', 'b', 'c', 'd'].map((id) => scheduledItemOf(id, spec())),
  };
  const view = (status: Batch['status'], items: Partial<Record<string, Batch['items'][number]['status']>>): Batch => ({
    object: 'framefill.batch', id: 'fb_1', status, created_at: 0, discount: 0.5, reserved_usd: 0, cost_usd: 0.08,
    progress: { total: 4, completed: 2, failed: 1 },
    items: Object.entries(items).map(([id, s]) => ({ id, kind: 'generation', status: s!, cost_usd: null, error: s === 'failed' ? { code: 'moderation_blocked', message: 'refused by the safety system' } : null })),
  });

  it('places what succeeded and was not placed yet, reports what failed, and waits for what is pending', () => {
    const out = collection(record, view('in_progress', { a: 'succeeded', b: 'failed', c: 'pending', d: 'succeeded' }), new Set(['d']));
    expect(out.place.map((i) => i.id)).toEqual(['a']);
    expect(out.drop).toEqual([
      { item: expect.objectContaining({ id: 'b' }), why: 'refused by the safety system' },
      { item: expect.objectContaining({ id: 'd' }), why: null }, // placed before: never again
    ]);
    expect(out.finished).toBe(false);
  });

  it('is finished once the backend says the batch is over', () => {
    expect(collection(record, view('completed', { a: 'succeeded', b: 'succeeded', c: 'expired', d: 'succeeded' }), new Set()).finished).toBe(true);
    expect(collection(record, view('cancelled', {}), new Set()).drop).toHaveLength(4);
  });

  it('tells what landed and what did not', () => {
    expect(landedText(6, [])).toBe('6 overnight images placed');
    expect(landedText(1, [{ why: 'expired' }, { why: 'expired' }])).toBe("1 overnight image placed · 2 overnight images didn't come back (expired) — not charged");
    // made and charged, only the backend's copy gone: never "not charged"
    expect(landedText(3, [{ why: 'expired' }, { why: 'its copy expired: results are kept at least 7 days', paid: true }])).toBe(
      "3 overnight images placed · 1 overnight image didn't come back (expired) — not charged · 1 overnight image was made and charged, but the backend no longer has it (its copy expired: results are kept at least 7 days)",
    );
    expect(progressText(view('in_progress', {}))).toBe('2 of 4 done · 1 failed');
    expect(progressText(null)).toBe('Waiting for the backend…');
  });
});

describe("a Run's History entry", () => {
  const batch = (id: string, cost: number): Batch => ({ object: 'framefill.batch', id, status: 'completed', created_at: 0, discount: 0.5, reserved_usd: 0, cost_usd: cost, progress: { total: 25, completed: 25, failed: 0 }, items: [] });
  const shown = (n: number) => Array.from({ length: n }, (_, i) => ({ imageHash: `h${i}`, thumbnail: null, placed: true }));
  const first = scheduledItemOf('a', spec());

  it('is one line for a Run split into batches: every image counted, every charge summed, 10 kept', () => {
    const one = runHistoryEntry('run-1', batch('fb_1', 0.08), shown(10), 25, first, 1_000).entry;
    expect(one).toMatchObject({ id: 'run-1', made: 25, costUsd: 0.08, variations: 10, overnight: true });
    const two = runHistoryEntry('run-1', batch('fb_2', 0.03), shown(10), 10, first, 2_000, one).entry;
    expect(two).toMatchObject({ id: 'run-1', made: 35, costUsd: 0.11 });
    expect(two.images!.map((i) => i.imageHash)).toEqual(one.images!.map((i) => i.imageHash)); // the first ten stay
  });

  it('fills the kept images from later batches, and says nothing extra when all are kept', () => {
    const one = runHistoryEntry('run-2', batch('fb_1', 0.02), shown(3), 3, first, 1_000).entry;
    expect(one.made).toBeUndefined();
    const two = runHistoryEntry('run-2', batch('fb_2', 0.02), shown(4), 4, first, 2_000, one).entry;
    expect(two.images).toHaveLength(7);
    expect(two.made).toBeUndefined();
    expect(two.costUsd).toBe(0.04);
  });
});

describe('what cannot go overnight', () => {
  it('is Lock the look, and more than one variation a frame', () => {
    expect(overnightProblem({ jobs: [{ n: 1 }, { n: 1 }] }, false)).toBeNull();
    expect(overnightProblem({ jobs: [{ n: 1 }] }, true)).toMatch(/run it Now/);
    expect(overnightProblem({ jobs: [{ n: 2 }] }, false)).toMatch(/set Variations to 1/);
  });
});

describe('frames that already have an overnight image on the way', () => {
  const plan = (...ids: Array<string | null>) => ({ jobs: ids.map((id) => ({ target: id ? { id } : null })) });

  it('are counted among the plan\'s frames (a new image at the viewport centre is no frame)', () => {
    expect(framesOnTheWay(plan('1:1', '1:2', '1:3', null), new Set(['1:2', '1:3', '9:9']))).toEqual({ count: 2, of: 3 });
    expect(framesOnTheWay(plan('1:1'), new Set())).toEqual({ count: 0, of: 1 });
  });

  it('keep Overnight from scheduling them twice (paid twice, the second replacing the first), saying what to do', () => {
    expect(onTheWayProblem({ count: 0, of: 4 })).toBeNull();
    expect(onTheWayProblem({ count: 1, of: 1 })).toBe('This frame already has an overnight image on the way — cancel that run under Scheduled to schedule it again.');
    expect(onTheWayProblem({ count: 4, of: 4 })).toBe('These 4 frames already have an overnight image on the way — cancel that run under Scheduled to schedule them again.');
    expect(onTheWayProblem({ count: 2, of: 4 })).toBe('2 of these 4 frames already have an overnight image on the way — deselect them, or cancel that run under Scheduled.');
  });

  it('let Now run them, saying the overnight image will replace what it makes', () => {
    expect(onTheWayNote({ count: 0, of: 2 })).toBeNull();
    expect(onTheWayNote({ count: 2, of: 4 })).toBe('2 of these 4 frames already have an overnight image on the way: when it lands, it replaces what this run makes. Cancel it under Scheduled to keep this one.');
  });
});
