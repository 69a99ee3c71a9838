// Runs async jobs one after another. Canvas edits must not interleave (undo steps would merge)
// and storage read-modify-writes must not race.
export type Queue = <T>(job: () => Promise<T>) => Promise<T>;

export function createQueue(): Queue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>) => {
    const run = tail.then(job, job);
    tail = run.catch(() => undefined);
    return run;
  };
}
