// Proxy overhead: the same request through the backend and straight to the (same) fake
// upstream, interleaved A/B so drift (GC, CPU frequency, caches) hits both sides alike.
// Measured twice (README): with an upstream that answers at once, which isolates the backend's
// own cost in milliseconds; and with one that takes a short but realistic time to generate,
// which gives the ratio a user can notice (the target).
import type http from 'node:http';
import { post } from './http';
import type { Figure } from './report';
import { formatBytes, median, percentile, round } from './stats';

export interface Endpoint {
  /** full URL of the operation */
  url: string;
  /** called per request (e.g. a fresh Idempotency-Key each time) */
  headers: () => Record<string, string>;
}

export interface OverheadCase {
  id: string;
  /** e.g. "generation 1536×1024, non-stream, SDK client" */
  label: string;
  direct: Endpoint;
  viaBackend: Endpoint;
  body: Buffer;
  /** appended to the details line */
  note: string;
}

export interface PairedSamples {
  direct: number[];
  proxied: number[];
  ratios: number[];
  /** per pair: via backend − direct, ms */
  added: number[];
  responseBytes: number;
  runs: number;
  warmup: number;
  upstreamLatencyMs: number;
}

async function once(e: Endpoint, body: Buffer, agent: http.Agent): Promise<number> {
  const res = await post(e.url, e.headers(), body, agent);
  if (res.status !== 200) throw new Error(`${e.url} answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
  return res.ms;
}

/** One A/B pair; which side goes first alternates, so neither always runs on a just-warmed path. */
async function pair(c: OverheadCase, agent: http.Agent, directFirst: boolean): Promise<[number, number]> {
  if (directFirst) {
    const a = await once(c.direct, c.body, agent);
    return [a, await once(c.viaBackend, c.body, agent)];
  }
  const b = await once(c.viaBackend, c.body, agent);
  return [await once(c.direct, c.body, agent), b];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `warmup` + `runs` pairs. With `staggerMs` 0 they run one after another; otherwise pair i starts
 * i × staggerMs after the first, so with a slow upstream several are in flight but their
 * responses (the backend's work) still arrive one at a time.
 */
export async function measurePairs(c: OverheadCase, o: { warmup: number; runs: number; agent: http.Agent; upstreamLatencyMs: number; staggerMs: number }): Promise<PairedSamples> {
  const total = o.warmup + o.runs;
  const results: Array<[number, number]> = new Array(total);
  if (o.staggerMs === 0) {
    for (let i = 0; i < total; i++) results[i] = await pair(c, o.agent, i % 2 === 0);
  } else {
    // Warm-up pairs first, sequentially, so the staggered ones find warm code paths.
    for (let i = 0; i < o.warmup; i++) results[i] = await pair(c, o.agent, i % 2 === 0);
    await Promise.all(
      Array.from({ length: o.runs }, async (_, k) => {
        await sleep(k * o.staggerMs);
        results[o.warmup + k] = await pair(c, o.agent, k % 2 === 0);
      }),
    );
  }
  const measured = results.slice(o.warmup);
  const probe = await post(c.viaBackend.url, c.viaBackend.headers(), c.body, o.agent);
  return {
    direct: measured.map(([a]) => a),
    proxied: measured.map(([, b]) => b),
    ratios: measured.map(([a, b]) => b / a),
    added: measured.map(([a, b]) => b - a),
    responseBytes: probe.body.length,
    runs: o.runs,
    warmup: o.warmup,
    upstreamLatencyMs: o.upstreamLatencyMs,
  };
}

const summary = (s: PairedSamples) => ({
  directMedianMs: round(median(s.direct), 2),
  proxiedMedianMs: round(median(s.proxied), 2),
  addedMedianMs: round(median(s.added), 2),
  addedP90Ms: round(percentile(s.added, 90), 2),
  medianRatio: round(median(s.ratios), 4),
  p90Ratio: round(percentile(s.ratios, 90), 4),
  runs: s.runs,
  warmup: s.warmup,
  upstreamLatencyMs: s.upstreamLatencyMs,
});

/**
 * Two figures per request: (b) the median ratio with a realistic upstream, judged against the
 * target, with (a) the milliseconds the backend adds at zero upstream latency beside it.
 */
export function overheadFigures(c: OverheadCase, instant: PairedSamples, realistic: PairedSamples, target: number): Figure[] {
  const a = summary(instant);
  const b = summary(realistic);
  const sizes = `request ${formatBytes(c.body.length)}, response ${formatBytes(realistic.responseBytes)}`;
  return [
    {
      id: c.id,
      label: `proxy overhead: ${c.label}, ${realistic.upstreamLatencyMs / 1000} s upstream (median ratio)`,
      value: round(median(realistic.ratios), 3),
      unit: '×',
      target: { op: '<=', value: target },
      details:
        `median of ${b.runs} paired runs (after ${b.warmup} warm-up), fake upstream taking ${realistic.upstreamLatencyMs} ms: direct ${round(b.directMedianMs)} ms, via backend ${round(b.proxiedMedianMs)} ms ` +
        `(+${round(b.addedMedianMs)} ms); p90 ratio ${round(b.p90Ratio, 3)}×; the backend's own cost at 0 ms upstream: +${round(a.addedMedianMs)} ms (next line); ${sizes}; ${c.note}`,
      data: { realistic: b, instant: a, requestBytes: c.body.length, responseBytes: realistic.responseBytes },
    },
    {
      id: `${c.id}-added-ms`,
      label: `proxy overhead: ${c.label}, 0 ms upstream (added ms, median)`,
      value: round(median(instant.added), 2),
      unit: 'ms',
      target: null,
      details:
        `median of per-pair differences over ${a.runs} paired runs (after ${a.warmup} warm-up), fake upstream answering at once: direct ${round(a.directMedianMs)} ms, via backend ${round(a.proxiedMedianMs)} ms; ` +
        `p90 +${round(a.addedP90Ms)} ms; ratio ${round(a.medianRatio, 2)}× (loopback JSON handling only, no generation time); ${sizes}; ${c.note}`,
      data: { ...a, requestBytes: c.body.length, responseBytes: instant.responseBytes },
    },
  ];
}
