// Letting a request in against its token's limits, and settling afterwards. Everything goes
// through the shared Store's atomic `reserve`, so concurrent requests on any number of instances
// cannot jointly pass a limit:
// (requests per minute are counted earlier, before the body is read: http/middleware/rate-limit.ts)
//   1. images today           +n                      (the undelivered part is given back on settle)
//   2. money this month       +the request's maximum possible cost (pricing.maxCostMicros)
// and on settle the money counter moves by (actual − reserved): a refund of the difference, the
// whole reservation when nothing was delivered. Spend therefore never passes the budget as long
// as the maximum is a true upper bound; the usage counters record what was actually delivered.
//
// Reservations are leases: each amount reserved (images, money) is also held, atomically with the
// reservation, in the token's lease index with an expiry just past the request's deadline. An
// instance that dies (kill -9, a deploy that outlives its grace) cannot settle; any instance then
// releases its expired holds before it reserves for the token. An instance that was only slow
// settles by "still held → move by (actual − reserved); already released → add actual", so its
// result is reconciled either way. On shutdown, settleOpenReservations settles what is still open
// before the store closes.
import { budgetExceeded, dailyImageLimit, HttpError } from '../errors';
import type { Limits } from '../config/limits';
import { toMicros } from '../pricing';
import type { Store } from '../store';
import type { Hold } from '../store/store';
import { dayTtlSeconds, monthTtlSeconds, storeKeys, utcMonth } from '../store/keys';
import { recordUsage, type UsageTotals } from './usage-ledger';

export interface ReservationRequest {
  name: string;
  limits: Limits;
  now: number;
  /** images asked for (n) */
  images: number;
  /** pricing.maxCostMicros of the request */
  maxMicros: number;
  /** how long from `now` the request can run, settling included (leaseMs): its holds expire after that. Default: the default upstream timeout's. */
  leaseMs?: number;
}

/** Past the upstream deadline, time for the body to be read, the result stored and the settlement written. */
const LEASE_MARGIN_MS = 5_000;
/** How long a request that may wait `upstreamTimeoutMs` on OpenAI holds its reservation (and its idempotency claim). */
export const leaseMs = (upstreamTimeoutMs: number) => upstreamTimeoutMs + LEASE_MARGIN_MS;
const DEFAULT_LEASE_MS = leaseMs(300_000);

export interface Reservation {
  /** UTC month the request is accounted in ("YYYY-MM"), fixed at reservation */
  month: string;
  /**
   * Settles once (later calls wait for the first): `totals` = what was delivered (usage recorded,
   * money moved to the actual cost); null = nothing was (every reservation given back). Should it
   * fail (store down), the holds stay and expire like a dead instance's.
   */
  settle(totals: UsageTotals | null, now: number): Promise<void>;
}

/**
 * What a reservation holds, as plain data: enough for any instance to settle it later
 * (settleHeld), so work that outlives one request (a batch, batches/) can be settled by whichever
 * instance finishes it.
 */
export interface HeldReservation {
  name: string;
  /** UTC month the request is accounted in ("YYYY-MM"), fixed at reservation */
  month: string;
  usdKey: string;
  /** the day's image counter, or null without a daily image limit */
  imageKey: string | null;
  images: number;
  maxMicros: number;
  hold: Hold;
}

/** Throws the matching 429/402 HttpError when a limit refuses the request; store errors propagate. */
export async function reserveHeld(store: Store, req: ReservationRequest): Promise<HeldReservation> {
  const { name, limits, now, images, maxMicros } = req;
  const lease: Hold = { index: storeKeys.leases(name), id: crypto.randomUUID(), expiresAt: now + (req.leaseMs ?? DEFAULT_LEASE_MS) };
  // Whatever a dead instance left for this token goes back before this request is measured against it.
  await store.releaseExpired(lease.index, now);
  const imageKey = limits.dailyImages !== null ? storeKeys.images(name, now) : null;
  if (imageKey && limits.dailyImages !== null) {
    const day = await store.reserve(imageKey, images, limits.dailyImages, dayTtlSeconds(now), lease);
    if (!day.ok) throw dailyImageLimit(name, limits.dailyImages, day.value, images, now);
  }
  const month = utcMonth(now);
  const held: HeldReservation = { name, month, usdKey: storeKeys.usd(name, month), imageKey, images, maxMicros, hold: lease };
  const giveBackImages = () => endImages(store, held, 0, now).catch(() => false);
  try {
    if (limits.monthlyBudgetMicros !== null) {
      const money = await store.reserve(held.usdKey, maxMicros, limits.monthlyBudgetMicros, monthTtlSeconds(now), lease);
      if (!money.ok) {
        await giveBackImages();
        throw budgetExceeded(name, limits.monthlyBudgetMicros, money.value, maxMicros, now);
      }
    } else {
      // Tracked without a limit too, so a budget set mid-month starts from the real figure.
      await store.add(held.usdKey, maxMicros, monthTtlSeconds(now), lease);
    }
  } catch (err) {
    if (!(err instanceof HttpError)) await giveBackImages(); // the store failed mid-way
    throw err;
  }
  return held;
}

/** The undelivered part is given back; every delivered image counts, even past n (an upstream that sends 10 images for n=1 has used 10 of the day). */
function endImages(store: Store, held: HeldReservation, delivered: number, at: number): Promise<boolean> {
  if (!held.imageKey) return Promise.resolve(true);
  return store.endHold(held.imageKey, held.images, held.hold, { ifHeld: delivered - held.images, ifReleased: delivered }, dayTtlSeconds(at));
}

/**
 * Settles `held`: `totals` = what was delivered (usage recorded, money moved to the actual cost);
 * null = nothing was (every reservation given back). Call it once per reservation: a second call
 * would find the hold gone and add the cost again.
 */
export async function settleHeld(store: Store, held: HeldReservation, totals: UsageTotals | null, at: number): Promise<void> {
  const actual = totals ? toMicros(totals.cost_usd) : 0;
  const work: Promise<unknown>[] = [
    store.endHold(held.usdKey, held.maxMicros, held.hold, { ifHeld: actual - held.maxMicros, ifReleased: actual }, monthTtlSeconds(at)),
    endImages(store, held, totals?.images ?? 0, at),
  ];
  if (totals) work.push(recordUsage(store, held.name, held.month, totals, at));
  await Promise.all(work);
}

/** Throws the matching 429/402 HttpError when a limit refuses the request; store errors propagate. */
export async function reserveWithinLimits(store: Store, req: ReservationRequest): Promise<Reservation> {
  const held = await reserveHeld(store, req);
  let settling: Promise<void> | null = null;
  const reservation: Reservation = {
    month: held.month,
    settle(totals, at) {
      settling ??= settleHeld(store, held, totals, at).finally(() => open(store).delete(reservation));
      return settling;
    },
  };
  open(store).add(reservation);
  return reservation;
}

// Reservations not yet settled, per store: what a shutting-down instance must settle before it
// closes the store (a WeakMap, so a store that is gone takes its set with it).
const openByStore = new WeakMap<Store, Set<Reservation>>();
function open(store: Store): Set<Reservation> {
  let set = openByStore.get(store);
  if (!set) openByStore.set(store, (set = new Set()));
  return set;
}

/**
 * Shutdown: waits up to `waitMs` for the reservations still open on `store` to settle on their
 * own (calls cut by the server's close settle within moments), then settles the rest as
 * delivering nothing, giving their holds back. Resolves when every settlement has been tried.
 */
export async function settleOpenReservations(store: Store, waitMs: number, now: () => number): Promise<void> {
  const pending = open(store);
  for (let waited = 0; pending.size > 0 && waited < waitMs; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  await Promise.all([...pending].map((r) => r.settle(null, now()).catch(() => {})));
}
