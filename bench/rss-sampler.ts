// The backend's resident memory sampled from outside (/proc) every 50 ms while a load runs: the
// cross-check of its VmHWM in the memory rows.
import type { BackendProcess } from '../test/hardening/child-process';

export interface RssSampler {
  /** highest VmRSS seen so far (bytes), starting from the value when sampling began */
  peak(): number;
  stop(): void;
}

export function sampleRss(backend: BackendProcess, from: number): RssSampler {
  let peak = from;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, backend.memory().rss);
    } catch {
      // the process is gone; the load's outcomes will say so
    }
  }, 50);
  return { peak: () => peak, stop: () => clearInterval(timer) };
}
