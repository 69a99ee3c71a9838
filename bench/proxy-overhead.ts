// Proxy overhead: the same request through the backend and straight to the (same) fake
// upstream, interleaved A/B so drift (GC, CPU frequency, caches) hits both sides alike.
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

export interface OverheadOptions {
  id: string;
  label: string;
  direct: Endpoint;
  viaBackend: Endpoint;
  body: Buffer;
  warmup: number;
  runs: number;
  agent: http.Agent;
  target: number;
  /** appended to the details line */
  note: string;
}

async function once(e: Endpoint, body: Buffer, agent: http.Agent): Promise<number> {
  const res = await post(e.url, e.headers(), body, agent);
  if (res.status !== 200) throw new Error(`${e.url} answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
  return res.ms;
}

export async function measureOverhead(o: OverheadOptions): Promise<Figure> {
  const direct: number[] = [];
  const proxied: number[] = [];
  const ratios: number[] = [];
  let responseBytes = 0;
  for (let i = 0; i < o.warmup + o.runs; i++) {
    // Alternate which side goes first, so neither always runs on a just-warmed path.
    let a: number;
    let b: number;
    if (i % 2 === 0) {
      a = await once(o.direct, o.body, o.agent);
      b = await once(o.viaBackend, o.body, o.agent);
    } else {
      b = await once(o.viaBackend, o.body, o.agent);
      a = await once(o.direct, o.body, o.agent);
    }
    if (i < o.warmup) continue;
    direct.push(a);
    proxied.push(b);
    ratios.push(b / a);
  }
  const probe = await post(o.viaBackend.url, o.viaBackend.headers(), o.body, o.agent);
  responseBytes = probe.body.length;
  const md = median(direct);
  const mp = median(proxied);
  return {
    id: o.id,
    label: o.label,
    value: round(median(ratios), 3),
    unit: '×',
    target: { op: '<=', value: o.target },
    details:
      `median of ${o.runs} paired runs (after ${o.warmup} warm-up): direct ${round(md)} ms, via backend ${round(mp)} ms (+${round(mp - md)} ms); ` +
      `p90 ratio ${round(percentile(ratios, 90), 2)}×; with a 10 s upstream the same +${round(mp - md)} ms would be ${round(((mp - md) / 10_000) * 100, 2)}%; request ${formatBytes(o.body.length)}, response ${formatBytes(responseBytes)}; fake upstream latency 0; ${o.note}`,
    data: { directMedianMs: round(md, 2), proxiedMedianMs: round(mp, 2), addedMs: round(mp - md, 2), ratioOfMedians: round(mp / md, 3), p90Ratio: round(percentile(ratios, 90), 3), requestBytes: o.body.length, responseBytes, runs: o.runs, warmup: o.warmup },
  };
}
