// What this instance holds for requests in progress: how many are being handled, and how many
// request-body bytes they may be holding, in all and per token. In-process counters (memory is
// per instance, so the caps are too); pure bookkeeping, unit-tested without a server.
import type { IntakeConfig } from '../../config/load-config';

export type InFlightCaps = Pick<IntakeConfig, 'maxInFlightRequests' | 'maxInFlightRequestsPerToken' | 'maxInFlightBodyBytes' | 'maxInFlightBodyBytesPerToken'>;

/** Which cap refused: what was over it, and whose it was. */
export interface InFlightRefusal {
  what: 'requests' | 'upload bytes';
  scope: 'token' | 'instance';
}

interface Held {
  requests: number;
  bytes: number;
}

/** One admitted request's claim; `leave` and `releaseBytes` may be called more than once. */
export interface InFlightTicket {
  /** counts `n` more body bytes (a chunk that arrived); a refusal leaves the count unchanged */
  addBytes(n: number): InFlightRefusal | null;
  /** the body is no longer held (read and handled, or dropped) */
  releaseBytes(): void;
  /** the request is over (streams: when the stream ends) */
  leave(): void;
}

/**
 * A body this small is never refused for the bytes others hold (it still counts): a generation's
 * JSON must not wait behind someone's uploads, and the request caps already bound how many there are.
 */
const SMALL_BODY_BYTES = 64 * 1024;

export class InFlight {
  private readonly total: Held = { requests: 0, bytes: 0 };
  private readonly perToken = new Map<string, Held>();

  constructor(
    private readonly caps: InFlightCaps,
    private readonly smallBodyBytes = SMALL_BODY_BYTES,
  ) {}

  /** Admits a request holding `bytes` (its declared body) or says which cap it would pass. */
  enter(token: string, bytes: number): InFlightTicket | InFlightRefusal {
    const mine = this.perToken.get(token) ?? { requests: 0, bytes: 0 };
    const refusal = this.check(mine, 1, bytes);
    if (refusal) return refusal;
    this.perToken.set(token, mine);
    this.move(token, mine, 1, bytes);
    let bytesHeld = bytes;
    let inside = true;
    return {
      addBytes: (n) => {
        if (!inside) return null;
        const over = this.check(mine, 0, n);
        if (over) return over;
        this.move(token, mine, 0, n);
        bytesHeld += n;
        return null;
      },
      releaseBytes: () => {
        this.move(token, mine, 0, -bytesHeld);
        bytesHeld = 0;
      },
      leave: () => {
        if (!inside) return;
        inside = false;
        this.move(token, mine, -1, -bytesHeld);
        bytesHeld = 0;
      },
    };
  }

  private check(mine: Held, requests: number, bytes: number): InFlightRefusal | null {
    const c = this.caps;
    if (requests > 0 && mine.requests + requests > c.maxInFlightRequestsPerToken) return { what: 'requests', scope: 'token' };
    if (requests > 0 && this.total.requests + requests > c.maxInFlightRequests) return { what: 'requests', scope: 'instance' };
    if (requests > 0 && bytes <= this.smallBodyBytes) return null;
    if (bytes > 0 && mine.bytes + bytes > c.maxInFlightBodyBytesPerToken) return { what: 'upload bytes', scope: 'token' };
    if (bytes > 0 && this.total.bytes + bytes > c.maxInFlightBodyBytes) return { what: 'upload bytes', scope: 'instance' };
    return null;
  }

  private move(token: string, mine: Held, requests: number, bytes: number): void {
    mine.requests += requests;
    mine.bytes += bytes;
    this.total.requests += requests;
    this.total.bytes += bytes;
    // Forgotten when idle, so the map follows the tokens in flight, not every token ever seen.
    if (mine.requests === 0 && mine.bytes === 0) this.perToken.delete(token);
  }
}
