// Month-to-date usage per access token, kept as integer counters in the shared Store so every
// instance reports (and every budget check sees) the same figures. Money is micro-dollars.
import { fromMicros, roundUsd, toMicros } from '../pricing';
import type { Store } from '../store';
import { monthTtlSeconds, storeKeys, USAGE_FIELDS, type UsageField } from '../store/keys';

export interface UsageTotals {
  /** image slots that delivered something: a final image, or the partials of one cut short (what the daily limit counts) */
  images: number;
  /** partial images (stream previews) forwarded, each charged at its output tokens (absent: none) */
  partial_images?: number;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

function counterValues(t: UsageTotals): Record<UsageField, number> {
  return { images: t.images, partials: t.partial_images ?? 0, requests: t.requests, in: t.input_tokens, out: t.output_tokens, cost: toMicros(t.cost_usd) };
}

/** Adds `delta` to `name`'s counters of `month` ("YYYY-MM", UTC). */
export async function recordUsage(store: Store, name: string, month: string, delta: UsageTotals, now: number): Promise<void> {
  const values = counterValues(delta);
  const ttl = monthTtlSeconds(now);
  await Promise.all(
    USAGE_FIELDS.filter((f) => values[f] !== 0).map((f) => store.add(storeKeys.usage(name, month, f), Math.round(values[f]), ttl)),
  );
}

export async function readUsage(store: Store, name: string, month: string): Promise<UsageTotals> {
  const [images, partials, requests, input, output, cost] = await store.getMany(USAGE_FIELDS.map((f) => storeKeys.usage(name, month, f)));
  return {
    images: images ?? 0,
    partial_images: partials ?? 0,
    requests: requests ?? 0,
    input_tokens: input ?? 0,
    output_tokens: output ?? 0,
    cost_usd: roundUsd(fromMicros(cost ?? 0)),
  };
}
