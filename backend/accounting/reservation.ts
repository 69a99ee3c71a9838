// Letting a request in against its token's limits, and settling afterwards. Everything goes
// through the shared Store's atomic `reserve`, so concurrent requests on any number of instances
// cannot jointly pass a limit:
// (requests per minute are counted earlier, before the body is read: http/middleware/rate-limit.ts)
//   1. images today           +n                      (the undelivered part is given back on settle)
//   2. money this month       +the request's maximum possible cost (pricing.maxCostMicros)
// and on settle the money counter moves by (actual − reserved): a refund of the difference, the
// whole reservation when nothing was delivered. Spend therefore never passes the budget as long
// as the maximum is a true upper bound; the usage counters record what was actually delivered.
import { budgetExceeded, dailyImageLimit, HttpError } from '../errors';
import type { Limits } from '../config/limits';
import { toMicros } from '../pricing';
import type { Store } from '../store';
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
}

export interface Reservation {
  /** UTC month the request is accounted in ("YYYY-MM"), fixed at reservation */
  month: string;
  /**
   * Settles once (later calls do nothing): `totals` = what was delivered (usage recorded, money
   * moved to the actual cost); null = nothing was (every reservation given back).
   */
  settle(totals: UsageTotals | null, now: number): Promise<void>;
}

/** Throws the matching 429/402 HttpError when a limit refuses the request; store errors propagate. */
export async function reserveWithinLimits(store: Store, req: ReservationRequest): Promise<Reservation> {
  const { name, limits, now, images, maxMicros } = req;
  const imageKey = limits.dailyImages !== null ? storeKeys.images(name, now) : null;
  if (imageKey && limits.dailyImages !== null) {
    const day = await store.reserve(imageKey, images, limits.dailyImages, dayTtlSeconds(now));
    if (!day.ok) throw dailyImageLimit(name, limits.dailyImages, day.value, images, now);
  }
  const month = utcMonth(now);
  const usdKey = storeKeys.usd(name, month);
  const giveBackImages = () => (imageKey ? store.add(imageKey, -images, dayTtlSeconds(now)).catch(() => 0) : Promise.resolve(0));
  try {
    if (limits.monthlyBudgetMicros !== null) {
      const money = await store.reserve(usdKey, maxMicros, limits.monthlyBudgetMicros, monthTtlSeconds(now));
      if (!money.ok) {
        await giveBackImages();
        throw budgetExceeded(name, limits.monthlyBudgetMicros, money.value, maxMicros, now);
      }
    } else {
      // Tracked without a limit too, so a budget set mid-month starts from the real figure.
      await store.add(usdKey, maxMicros, monthTtlSeconds(now));
    }
  } catch (err) {
    if (!(err instanceof HttpError)) await giveBackImages(); // the store failed mid-way
    throw err;
  }

  let settled = false;
  return {
    month,
    async settle(totals, at) {
      if (settled) return;
      settled = true;
      const actual = totals ? toMicros(totals.cost_usd) : 0;
      const delivered = totals?.images ?? 0;
      const work: Promise<unknown>[] = [];
      if (actual !== maxMicros) work.push(store.add(usdKey, actual - maxMicros, monthTtlSeconds(at)));
      if (imageKey && delivered < images) work.push(store.add(imageKey, delivered - images, dayTtlSeconds(at)));
      if (totals) work.push(recordUsage(store, name, month, totals, at));
      await Promise.all(work);
    },
  };
}
