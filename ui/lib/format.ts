// How numbers read in the panel. Pure.

/** "$0.42"; amounts under a cent keep three decimals ("$0.006") so cheap tiers don't read as $0.01. */
export function formatUsd(usd: number): string {
  if (usd > 0 && usd < 0.01) return `$${usd.toFixed(3)}`;
  if (usd < 100) return `$${usd.toFixed(2)}`;
  return `$${Math.round(usd).toLocaleString('en-US')}`;
}

/** Per-image prices keep a tenth of a cent: "$0.053", "$0.211". */
export function formatUnitPrice(usd: number): string {
  return usd < 1 ? `$${usd.toFixed(3)}` : formatUsd(usd);
}

/** "8 s", "1 min 05 s" */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 60) return `${total} s`;
  const min = Math.floor(total / 60);
  const sec = total % 60;
  return `${min} min ${String(sec).padStart(2, '0')} s`;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago" */
export function formatAgo(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.max(1, Math.round(s / 60))} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "1536x1024" → "1536×1024" for reading */
export function humanSize(size: string): string {
  return size.replace('x', '×');
}
