// One AbortController for an upstream call, fired by whichever comes first: the client going
// away (request signal, or the response stream being cancelled), an explicit cancel
// (DELETE /v1/results/{id}) or the backend's deadline. Remembers which, so the failure can be
// reported as a timeout (504), a cancellation, or quietly dropped. Its deadline can be looked up
// from its signal (`deadlineOf`), so whatever the signal is handed to (the retry loop) can plan
// its waits around it.
import type { AbortCause } from './to-http-error';

const deadlines = new WeakMap<AbortSignal, number>();

/** When the CallControl behind `signal` fires its deadline (epoch ms); undefined for any other signal. */
export function deadlineOf(signal: AbortSignal): number | undefined {
  return deadlines.get(signal);
}

export class CallControl {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onClientAbort = () => this.abort('client_gone');
  private readonly onCancel = () => this.abort('cancelled');
  cause: AbortCause = null;

  constructor(
    private readonly clientSignal: AbortSignal | undefined,
    timeoutMs: number,
    private readonly cancelSignal?: AbortSignal,
  ) {
    if (cancelSignal?.aborted) this.abort('cancelled');
    else if (clientSignal?.aborted) this.abort('client_gone');
    else {
      clientSignal?.addEventListener('abort', this.onClientAbort, { once: true });
      cancelSignal?.addEventListener('abort', this.onCancel, { once: true });
    }
    if (!this.controller.signal.aborted) this.timer = setTimeout(() => this.abort('timeout'), timeoutMs);
    deadlines.set(this.controller.signal, Date.now() + timeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(cause: Exclude<AbortCause, null>): void {
    if (this.controller.signal.aborted) return;
    this.cause = cause;
    this.controller.abort(cause);
    this.dispose();
  }

  /** Stops the deadline and detaches from the client's and the cancel signal; the call is over. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.clientSignal?.removeEventListener('abort', this.onClientAbort);
    this.cancelSignal?.removeEventListener('abort', this.onCancel);
  }
}
