import { describe, expect, it } from 'vitest';
import type { PendingRun, UiToSandbox } from '../../plugin/messages';
import { createPendingRuns } from './pending-runs';

const run = (requestId: string): PendingRun => ({ requestId, kind: 'generate', targetId: null, targetName: 'New image', prompt: 'A fox', tier: 'low', size: '1024x1024', variations: 1, referenceIds: [], startedAt: 1 });

function setup() {
  const sent: UiToSandbox[] = [];
  return { sent, pending: createPendingRuns((m) => sent.push(m)) };
}

describe('pending runs', () => {
  it('registers a run with the sandbox once, however often a retry launches it', () => {
    const { sent, pending } = setup();
    pending.add(run('a'));
    pending.add(run('a'));
    expect(sent).toEqual([{ type: 'add-pending', run: run('a') }]);
    expect(pending.has('a')).toBe(true);
  });

  it('removes a run once: a cancel, then a dismiss, then a discard tell the sandbox only the first time', () => {
    const { sent, pending } = setup();
    pending.add(run('a'));
    pending.remove('a');
    pending.remove('a');
    pending.remove('a');
    expect(sent.filter((m) => m.type === 'remove-pending')).toEqual([{ type: 'remove-pending', requestId: 'a' }]);
    expect(pending.has('a')).toBe(false);
  });

  it('tells the sandbox nothing about a run it never held (a queued job cancelled before it was sent)', () => {
    const { sent, pending } = setup();
    pending.remove('never-sent');
    expect(sent).toEqual([]);
  });

  it('removes runs handed over at init without registering them again', () => {
    const { sent, pending } = setup();
    pending.adopt(['old']);
    pending.add(run('old'));
    pending.remove('old');
    expect(sent).toEqual([{ type: 'remove-pending', requestId: 'old' }]);
  });
});
