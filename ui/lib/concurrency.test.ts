import { describe, expect, it } from 'vitest';
import { createLimiter, isAbortError } from './concurrency';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('createLimiter', () => {
  it('keeps at most `limit` tasks running and starts queued ones as slots free', async () => {
    const limiter = createLimiter(2);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((g, i) => limiter.run(async () => { started.push(i); await g.promise; return i; }));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(limiter.queued).toBe(1);
    gates[0]!.resolve();
    await runs[0];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates[1]!.resolve();
    gates[2]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
  });

  it('never starts a queued task whose signal aborts, and frees the slot after a failure', async () => {
    const limiter = createLimiter(1);
    const gate = deferred();
    const first = limiter.run(async () => { await gate.promise; throw new Error('boom'); });
    const controller = new AbortController();
    let ran = false;
    const second = limiter.run(async () => { ran = true; }, controller.signal);
    controller.abort();
    await expect(second).rejects.toSatisfy(isAbortError);
    gate.resolve();
    await expect(first).rejects.toThrow('boom');
    expect(ran).toBe(false);
    expect(await limiter.run(async () => 'next')).toBe('next');
  });
});
