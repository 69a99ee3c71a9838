// Explicit cancellation of running idempotent calls (DELETE /v1/results/{id}). A cancel must
// reach the call wherever it runs:
//   - on this instance: the call is in an in-process map and is aborted at once;
//   - on another instance: a `cancel:{name}:{id}` flag holding the run's nonce goes into the
//     shared store, and every running call looks for its flag at a bounded interval (only while
//     it runs; the timer stops when it is released). The nonce makes a late flag harmless to a
//     later run under the same key.
// Polling is every second for the first half minute (most runs are over by then), then every
// five, so a long run costs few store reads (Workers count each Upstash read as a subrequest).
import type { Store } from '../store';
import { storeKeys } from '../store/keys';

export interface RunHandle {
  /** aborted when the run is cancelled, here or through its store flag */
  readonly signal: AbortSignal;
  /** the call is over (result stored or dropped): stop polling, forget the run; idempotent */
  release(): void;
}

export interface RunCancelsOptions {
  /** how long a flag lives (a run's longest possible time) */
  flagTtlSeconds: number;
  /** first poll interval (default 1 s) */
  pollMs?: number;
  /** poll every `pollMs` for this long (default 30 s)… */
  fastForMs?: number;
  /** …then every `slowPollMs` (default 5 s) */
  slowPollMs?: number;
}

interface Entry {
  controller: AbortController;
  /** resolves when the run is released */
  stopped: Promise<void>;
}

const DEFAULT_POLL_MS = 1_000;
const DEFAULT_FAST_FOR_MS = 30_000;
const DEFAULT_SLOW_POLL_MS = 5_000;

export class RunCancels {
  private readonly running = new Map<string, Entry>();

  constructor(private readonly store: Store, private readonly options: RunCancelsOptions) {}

  /** Registers a run that has just claimed `name`/`id`; `run` is its claim's nonce. */
  register(name: string, id: string, run: string): RunHandle {
    const local = `${name}:${id}`;
    const flagKey = storeKeys.cancel(name, id);
    const controller = new AbortController();
    let release!: () => void;
    const stopped = new Promise<void>((resolve) => (release = resolve));
    const entry: Entry = { controller, stopped };
    this.running.set(local, entry);

    const fast = this.options.pollMs ?? DEFAULT_POLL_MS;
    const fastFor = this.options.fastForMs ?? DEFAULT_FAST_FOR_MS;
    const slow = this.options.slowPollMs ?? DEFAULT_SLOW_POLL_MS;
    const started = Date.now();
    let released = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        if ((await this.store.read(flagKey)) === run) controller.abort('cancelled');
      } catch {
        // A store hiccup only delays a cross-instance cancel until the next poll.
      }
      schedule();
    };
    const schedule = () => {
      if (released || controller.signal.aborted) return;
      timer = setTimeout(() => void poll(), Date.now() - started < fastFor ? fast : slow);
    };
    schedule();

    return {
      signal: controller.signal,
      release: () => {
        if (released) return;
        released = true;
        clearTimeout(timer);
        if (this.running.get(local) === entry) this.running.delete(local);
        // The flag has done its job; it would expire anyway, and only ever matches this run.
        if (controller.signal.aborted) void this.store.remove(flagKey).catch(() => {});
        release();
      },
    };
  }

  /**
   * Cancels the run of `name`/`id` if it runs on this instance and waits (at most `waitMs`) for
   * its call to wind down. False when it does not run here.
   */
  async cancelHere(name: string, id: string, waitMs: number): Promise<boolean> {
    const entry = this.running.get(`${name}:${id}`);
    if (!entry) return false;
    entry.controller.abort('cancelled');
    await within(entry.stopped, waitMs);
    return true;
  }

  /** Asks whichever instance runs `name`/`id` (the run with nonce `run`) to stop. */
  flag(name: string, id: string, run: string): Promise<void> {
    return this.store.put(storeKeys.cancel(name, id), run, this.options.flagTtlSeconds);
  }
}

/** Settles when `promise` does or after `ms`, whichever is first. */
function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([promise.then(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
}
