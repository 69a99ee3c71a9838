import { describe, expect, it } from 'vitest';
import { newJob, type JobSpec, type JobState } from '../run/job';
import { entryOf } from './history-record';

describe('a delivered run in History', () => {
  it('lists every image, none placed yet, at the whole request cost the backend billed', () => {
    const spec: JobSpec = { kind: 'generate', targetId: null, targetName: 'New image', prompt: 'Poster', tier: 'medium', size: '1024x1536', n: 2, referenceIds: [], sendsTarget: false, maskId: null, exportMaxSide: 2048, outputFormat: 'png', model: 'gpt-image-2', transparent: false, estimateUsd: 0.1 };
    const job: JobState = {
      ...newJob('j1', 'req-1', spec),
      status: 'done',
      finishedAt: 1_700_000_000_500,
      results: [
        { b64: 'AA==', width: 1024, height: 1536, placed: false },
        { b64: 'AQ==', width: 1024, height: 1536, placed: false },
      ],
      cost: { estimateUsd: 0.1, actualUsd: 0.0712 },
      model: 'gpt-image-2-2026-01-01',
    };
    const entry = entryOf(job, [new Uint8Array([1]), null], 0);
    expect(entry).toMatchObject({ id: 'req-1', requestId: 'req-1', variations: 2, costUsd: 0.0712, createdAt: 1_700_000_000_500, model: 'gpt-image-2-2026-01-01' });
    expect(entry.images).toEqual([
      { imageHash: null, thumbnail: new Uint8Array([1]), placed: false },
      { imageHash: null, thumbnail: null, placed: false },
    ]);
  });
});
