import { describe, expect, it } from 'vitest';
import { applyPlacementStatus } from './canvas-status';
import { newJob, type JobState, type JobSpec } from './job';

const spec = { kind: 'generate', targetId: 'f1', targetName: 'Hero', prompt: 'p', tier: 'medium', size: '1024x1024', n: 2, referenceIds: [], sendsTarget: false, maskId: null, exportMaxSide: 2048, outputFormat: 'png', model: 'gpt-image-2', transparent: false, estimateUsd: 0.1 } as JobSpec;
const result = (placed: boolean, placement?: { rid: string; slot: number }) => ({ b64: '', width: 1, height: 1, placed, ...(placement ? { placement } : {}) });
const job = (status: JobState['status'], results: JobState['results']): JobState => ({ ...newJob('j', 'r', spec), status, results });

describe('placement status from the canvas', () => {
  it('an undone placement stops saying Placed; a redo says it again', () => {
    const placed = job('placed', [result(true, { rid: 'a', slot: 0 })]);
    const undone = applyPlacementStatus({ jobs: [placed], notices: [] }, [{ rid: 'a', shown: [false] }]);
    expect(undone.jobs[0]).toMatchObject({ status: 'done', results: [{ placed: false }] });
    const redone = applyPlacementStatus(undone, [{ rid: 'a', shown: [true] }]);
    expect(redone.jobs[0]).toMatchObject({ status: 'placed', results: [{ placed: true }] });
  });

  it('reads each image of a row by its slot, and leaves unplaced results and unknown placements alone', () => {
    const row = job('placed', [result(true, { rid: 'a', slot: 0 }), result(true, { rid: 'a', slot: 1 })]);
    const next = applyPlacementStatus({ jobs: [row], notices: [] }, [{ rid: 'a', shown: [true, false] }, { rid: 'zzz', shown: [false] }]);
    expect(next.jobs[0]!.results.map((r) => r.placed)).toEqual([true, false]);
    expect(next.jobs[0]!.status).toBe('done');
    const state = { jobs: [job('done', [result(false)])], notices: [] };
    expect(applyPlacementStatus(state, [{ rid: 'a', shown: [false] }])).toBe(state);
  });
});
