import { describe, expect, it } from 'vitest';
import type { Batch } from '../../backend/contract';
import type { ScheduledBatch } from '../../plugin/messages';
import { scheduledRows, type BatchState } from './scheduled-rows';

const item = (id: string) => ({ id, kind: 'generate' as const, targetId: id, targetName: 'Card', place: null, prompt: 'A kettle', model: 'gpt-image-2', tier: 'low' as const, size: '1024x1024', variations: 1, referenceIds: [] });
const record = (id: string, n: number, run?: string): ScheduledBatch => ({ id, createdAt: 1_700_000_000_000 + n, discount: 0.5, reservedUsd: 0.01 * n, nowUsd: 0.02 * n, items: Array.from({ length: n }, (_, i) => item(`${id}-${i}`)), ...(run ? { run } : {}) });
const view = (id: string, n: number, status: Batch['status'], completed: number, failed = 0): Batch => ({
  object: 'framefill.batch', id, status, created_at: 1_700_000_000, discount: 0.5, reserved_usd: 0.005 * (n - completed), cost_usd: 0.005 * completed,
  progress: { total: n, completed, failed },
  items: Array.from({ length: n }, (_, i) => ({ id: `${id}-${i}`, kind: 'generation' as const, status: i < completed ? ('succeeded' as const) : ('pending' as const), cost_usd: null, error: null })),
});
const state = (r: ScheduledBatch, v: Batch | null = null, problem: string | null = null): BatchState => ({ record: r, view: v, problem });

describe('the Scheduled list rows', () => {
  it('shows the batches one Run was split into as one row: counts, progress and money summed, one Cancel for what still runs', () => {
    const rows = scheduledRows([
      state(record('fb_1', 5, 'run-a'), view('fb_1', 5, 'completed', 5)),
      state(record('fb_2', 4, 'run-a'), view('fb_2', 4, 'in_progress', 1, 1), "Couldn't check it: offline"),
      state(record('fb_3', 3, 'run-a'), null, "Couldn't check it: offline"),
      state(record('fb_9', 2, 'run-b')),
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ key: 'run-a', count: 12, total: 12, done: 6, openIds: ['fb_2', 'fb_3'], createdAt: 1_700_000_000_003, nowUsd: 0.24, status: '6 of 12 done · 1 failed', problems: ["Couldn't check it: offline"] });
    expect(rows[0]!.reservedUsd).toBeCloseTo(0 + 0.015 + 0.03, 6);
    expect(rows[1]).toMatchObject({ key: 'run-b', count: 2, status: 'Waiting for the backend…', openIds: ['fb_9'] });
  });

  it('says a status its batches share, and a lone batch (or one recorded before runs were kept) as before', () => {
    const cancelled = scheduledRows([state(record('fb_1', 2, 'r'), view('fb_1', 2, 'cancelled', 1)), state(record('fb_2', 2, 'r'), view('fb_2', 2, 'cancelled', 0))]);
    expect(cancelled[0]).toMatchObject({ status: 'Cancelled', openIds: [], done: 1 });
    const mixed = scheduledRows([state(record('fb_1', 2, 'r'), view('fb_1', 2, 'cancelling', 0)), state(record('fb_2', 2, 'r'), view('fb_2', 2, 'in_progress', 1))]);
    expect(mixed[0]!.status).toBe('Cancelling…');
    const old = scheduledRows([state(record('fb_1', 3), view('fb_1', 3, 'in_progress', 2)), state(record('fb_2', 1), view('fb_2', 1, 'completed', 1))]);
    expect(old.map((r) => [r.key, r.status])).toEqual([['fb_1', '2 of 3 done'], ['fb_2', 'Done — placing']]);
  });
});
