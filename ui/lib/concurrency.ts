// Bounded concurrency: a run over many targets keeps at most `limit` requests in flight, so a
// 30-frame selection neither floods the backend's rate limit nor the browser's connection pool.

export interface Limiter {
  /** runs `task` when a slot is free; a task whose signal aborts while queued never starts */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly active: number;
  readonly queued: number;
}

export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  let active = 0;
  const queue: { start: () => void; signal?: AbortSignal }[] = [];

  const next = () => {
    while (active < limit && queue.length > 0) {
      const item = queue.shift()!;
      if (item.signal?.aborted) continue;
      item.start();
    }
  };

  return {
    get active() {
      return active;
    },
    get queued() {
      return queue.length;
    },
    run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason ?? abortError());
        const item = {
          signal,
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            active++;
            let result: Promise<T>;
            try {
              result = task();
            } catch (error) {
              result = Promise.reject(error);
            }
            result.then(resolve, reject).finally(() => {
              active--;
              next();
            });
          },
        };
        const onAbort = () => {
          const at = queue.indexOf(item);
          if (at >= 0) {
            queue.splice(at, 1);
            reject(signal!.reason ?? abortError());
          }
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(item);
        next();
      });
    },
  };
}

export function abortError(): DOMException {
  return new DOMException('The run was cancelled', 'AbortError');
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException ? error.name === 'AbortError' : error instanceof Error && error.name === 'AbortError';
}
