// The refusals a caller gets when a limit is reached, OpenAI-style, each saying which limit,
// how much is used and when it frees up. Pure (the clock comes in as `now`).
import { HttpError } from '../errors';
import { describeMonthStart, nextMinuteStart, nextUtcDayStart, nextUtcMonthStart, secondsUntil } from '../store/keys';

/** Dollars for people: cents, or more digits when the amount is below a cent. */
export function formatUsd(micros: number): string {
  const usd = micros / 1e6;
  if (usd === 0 || Math.abs(usd) >= 0.01) return `$${usd.toFixed(2)}`;
  return `$${usd.toFixed(6).replace(/0+$/, '')}`;
}

function formatWait(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

// The openai SDKs retry 429s by themselves; `x-should-retry: false` tells them not to bother
// with limits that last hours (a day's images, a month's budget).
const NO_RETRY = { 'x-should-retry': 'false' };

export function rateLimitExceeded(name: string, rpm: number, now: number): HttpError {
  const wait = secondsUntil(now, nextMinuteStart(now));
  return new HttpError(429, `Rate limit of ${rpm} request${rpm === 1 ? '' : 's'} per minute for '${name}' reached. Try again in ${wait} s.`, {
    type: 'requests',
    code: 'rate_limit_exceeded',
    headers: { 'retry-after': String(wait) },
  });
}

export function dailyImageLimit(name: string, limit: number, used: number, asked: number, now: number): HttpError {
  const wait = secondsUntil(now, nextUtcDayStart(now));
  const left = Math.max(0, limit - used);
  const message = left === 0
    ? `Daily limit of ${limit} images for '${name}' is used up. It resets at 00:00 UTC (in ${formatWait(wait)}).`
    : `This request asks for ${asked} images but only ${left} of the ${limit} daily images for '${name}' are left. Ask for fewer, or wait until 00:00 UTC (in ${formatWait(wait)}).`;
  return new HttpError(429, message, { type: 'images', code: 'daily_image_limit', headers: { 'retry-after': String(wait), ...NO_RETRY } });
}

export function budgetExceeded(name: string, budgetMicros: number, spentMicros: number, requestMaxMicros: number, now: number): HttpError {
  const wait = secondsUntil(now, nextUtcMonthStart(now));
  const spent = Math.max(0, spentMicros);
  const left = budgetMicros - spent;
  const message = left < budgetMicros * 0.01 || left <= 0
    ? `Monthly budget of ${formatUsd(budgetMicros)} for '${name}' is used up (${formatUsd(spent)} spent). It resets on ${describeMonthStart(now)} (UTC).`
    : `This request could cost up to ${formatUsd(requestMaxMicros)}, more than the ${formatUsd(left)} left of the ${formatUsd(budgetMicros)} monthly budget for '${name}' (${formatUsd(spent)} spent). Try a lower quality, a smaller size or fewer images, or wait until ${describeMonthStart(now)} (UTC).`;
  return new HttpError(402, message, { type: 'insufficient_quota', code: 'budget_exceeded', headers: { 'retry-after': String(wait), ...NO_RETRY } });
}

export const storeUnavailable = () =>
  new HttpError(503, 'The Framefill backend cannot reach its usage store, so it cannot check budgets right now. Try again in a moment.', {
    type: 'server_error',
    code: 'store_unavailable',
  });
