// Results never lost, never paid twice. The panel sends an Idempotency-Key with each generation
// or edit; per token name and key:
//   - a stored result → replayed (no upstream call, no charge);
//   - none, and `putIfAbsent(run:…)` succeeds → this request runs, then stores its result and
//     drops the claim (a failed run only drops the claim, so a retry runs again);
//   - none, and the claim is taken → another request (any instance) is running it: wait, polling
//     the store with bounded backoff (woken at once when the run is in this process), then
//     replay its result — or run it ourselves if it failed.
// A claim carries its run's deadline (the reservation's lease: upstream timeout + margin). Past it,
// a claim still there was left by an instance that stopped: the run is reported lost (GET
// /v1/results → request_lost, kept as long as a result would be) and a repeat takes the claim
// over atomically and runs again. A run only ever drops its own claim. Each claim carries a
// random nonce naming that one run, so a cancel (run-cancels.ts) reaches the run it was meant for
// and never a later run under the same key.
import * as z from 'zod';
import { invalidIdempotencyKey, keyReused, stillRunning } from '../errors';
import { readResult, saveResult, type ImageRoute, type SaveOptions, type StoredResult } from './retained-results';
import type { Store } from '../store';
import { storeKeys } from '../store/keys';
import { parseStoredJson } from '../store/stored-json';

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,100}$/;

/** The request's Idempotency-Key, or null without one; a malformed key is a 400. */
export function parseIdempotencyKey(raw: string | undefined | null): string | null {
  if (raw === undefined || raw === null) return null;
  if (!KEY_PATTERN.test(raw)) {
    throw invalidIdempotencyKey(raw);
  }
  return raw;
}

export const isValidResultId = (id: string) => KEY_PATTERN.test(id);

/** SHA-256 of bytes, hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 (hex) of what a request asks for, so a key reused for a different request is caught. */
export function fingerprint(route: ImageRoute, what: unknown): Promise<string> {
  return sha256Hex(new TextEncoder().encode(JSON.stringify([route, what])));
}

export interface RunningClaim {
  /** this run's nonce (a cancel flag must carry it) */
  run: string;
  /** stores the result (when the run succeeded) and releases the claim; call exactly once */
  finish(result: StoredResult | null): Promise<void>;
}

export type Turn = { kind: 'replay'; result: StoredResult } | { kind: 'run'; claim: RunningClaim };

export interface IdempotencyOptions extends SaveOptions {
  /** how long a claim lives at least (longest run + margin); a lost one is kept as long as a result */
  claimTtlSeconds: number;
  /** longest a repeat waits for the running request */
  waitMs: number;
  now?: () => number;
  /** first poll delay; doubles up to maxPollMs */
  firstPollMs?: number;
  maxPollMs?: number;
}

/** A claim as stored: JSON in the shared store is a boundary, so it is parsed, not trusted. */
const claimSchema = z.object({
  /** what the running request asked for (fingerprint) */
  fingerprint: z.string(),
  /** the run's nonce: a cancel flag must carry it */
  run: z.string(),
  /** ms since the epoch; past it the run is lost (absent in claims written before leases: running until the claim expires) */
  deadline: z.number().optional(),
});
type Claim = z.infer<typeof claimSchema>;

function parseClaim(text: string): Claim | null {
  return parseStoredJson(claimSchema, text);
}

export class IdempotencyGate {
  /** wake-ups for waiters in this process, by run key */
  private readonly wakers = new Map<string, Set<() => void>>();
  private readonly now: () => number;

  constructor(private readonly store: Store, private readonly options: IdempotencyOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Replays a finished result, waits for a running one, or claims the run for this request (also
   * when the run holding the claim is lost). `leaseMs`: how long this run may take.
   */
  async begin(name: string, id: string, route: ImageRoute, print: string, leaseMs: number): Promise<Turn> {
    const runKey = storeKeys.run(name, id);
    const claimTtl = Math.max(this.options.claimTtlSeconds, this.options.ttlSeconds);
    const deadline = this.now() + this.options.waitMs;
    const first = this.options.firstPollMs ?? 25;
    const max = this.options.maxPollMs ?? 1_000;
    let delay = first;
    // Bounded: the deadline ends it; the count is a backstop should the clock stand still.
    const maxRounds = Math.ceil(this.options.waitMs / first) + 10;
    for (let round = 0; round < maxRounds; round++) {
      const stored = await readResult(this.store, name, id);
      if (stored) return this.replay(stored, route, print);
      const claim: Claim = { fingerprint: print, run: crypto.randomUUID(), deadline: this.now() + leaseMs };
      const text = JSON.stringify(claim);
      const holderText = (await this.store.putIfAbsent(runKey, text, claimTtl)) ? null : await this.store.read(runKey);
      const holder = holderText === null ? null : parseClaim(holderText);
      if (holder && holder.fingerprint !== print) throw keyReused();
      // Ours: put there just now, or taken over from a lost run (only if nobody else took it first).
      const ours = holderText === null ? true : holder !== null && this.lost(holder) && (await this.store.compareAndSet(runKey, holderText, text, claimTtl));
      if (ours) {
        // A run may have stored its result between our read and our claim.
        const late = await readResult(this.store, name, id);
        if (late) {
          await this.store.compareAndSet(runKey, text, null, claimTtl);
          return this.replay(late, route, print);
        }
        return { kind: 'run', claim: this.claimFor(name, id, runKey, claim.run, text) };
      }
      const left = deadline - this.now();
      if (left <= 0) break;
      await this.sleep(runKey, Math.min(delay, left));
      delay = Math.min(delay * 2, max);
    }
    throw stillRunning(id);
  }

  /** For GET /v1/results: a run with this key is in progress (202), was lost with its instance (past its deadline), or neither. */
  async runStatus(name: string, id: string): Promise<'running' | 'lost' | null> {
    const text = await this.store.read(storeKeys.run(name, id));
    if (text === null) return null;
    const claim = parseClaim(text);
    return claim && this.lost(claim) ? 'lost' : 'running';
  }

  /** The nonce of the run in progress under this key (any instance), or null when none is. */
  async runningNonce(name: string, id: string): Promise<string | null> {
    const text = await this.store.read(storeKeys.run(name, id));
    const claim = text === null ? null : parseClaim(text);
    return claim && !this.lost(claim) ? claim.run : null;
  }

  private lost(claim: Claim): boolean {
    return claim.deadline !== undefined && this.now() > claim.deadline;
  }

  private replay(stored: StoredResult, route: ImageRoute, print: string): Turn {
    if (stored.route !== route || stored.fingerprint !== print) throw keyReused();
    return { kind: 'replay', result: stored };
  }

  private claimFor(name: string, id: string, runKey: string, run: string, text: string): RunningClaim {
    let finished = false;
    return {
      run,
      finish: async (result) => {
        if (finished) return;
        finished = true;
        try {
          if (result) await saveResult(this.store, name, id, result, this.options);
        } catch (err) {
          this.options.warn(`result ${id} of '${name}' was lost: ${err instanceof Error ? err.message : 'store error'}`);
        } finally {
          // Stored first, released second: a waiter that finds no claim finds the result. Only our
          // own claim goes: a repeat may have taken it over after our deadline.
          await this.store.compareAndSet(runKey, text, null, 1).catch(() => {});
          this.wake(runKey);
        }
      },
    };
  }

  private sleep(runKey: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.wakers.get(runKey);
      if (!set) this.wakers.set(runKey, (set = new Set()));
      const waiters = set;
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0 && this.wakers.get(runKey) === waiters) this.wakers.delete(runKey);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiters.add(done);
    });
  }

  private wake(runKey: string): void {
    const set = this.wakers.get(runKey);
    if (!set) return;
    for (const done of [...set]) done();
  }
}
