import { describe, expect, it } from 'vitest';
import { newJob, pendingOf, specFromPending, specFromPlan } from './job';
import type { PlanJob } from '../lib/plan';
import { pendingRunSchema } from '../../plugin/messages';

describe('a job kept across closing the panel', () => {
  it('comes back naming the card its frame sits in, as the card said before the panel closed', () => {
    const target = { id: '1:7', name: 'Photo', type: 'FRAME', width: 120, height: 90, empty: true, maskId: null, parentName: 'Product card / Copper kettle' };
    const planJob = { kind: 'generate', target, n: 1, referenceIds: [], sendsTarget: false, maskId: null, exportMaxSide: 2048, outputFormat: 'png', model: 'gpt-image-2', transparent: false, estimateUsd: 0.05, size: { text: '1024x1024' } } as unknown as PlanJob;
    const spec = specFromPlan(planJob, 'Studio photo of Copper kettle', 'medium');
    expect(spec.targetContext).toBe('Product card / Copper kettle');
    const job = { ...newJob('j1', 'ff_0123456789abcdef0123456789abcdef', spec), startedAt: 1000 };
    // through the sandbox's schema, as the pending run is stored
    const back = specFromPending(pendingRunSchema.parse(pendingOf(job, 2000)));
    expect([back.targetName, back.targetContext]).toEqual(['Photo', 'Product card / Copper kettle']);
  });
});
