// Streaming load: many concurrent streaming generations through one backend process, with the
// fake upstream taking its time like the real one. Measures failures and the backend's peak RSS
// (read from /proc from outside; the backend runs alone in its child process).
import { randomUUID } from 'node:crypto';
import type { BackendProcess } from '../test/hardening/child-process';
import { mb } from '../test/hardening/proc-memory';
import { keepAliveAgent, postStream, type StreamOutcome } from './http';
import { sampleRss } from './rss-sampler';
import type { Figure } from './report';
import { median, round } from './stats';

export interface LoadOptions {
  backend: BackendProcess;
  token: string;
  streams: number;
  upstreamLatencyMs: number;
  maxFailures: number;
  maxPeakRssMb: number;
  /** send a fresh Idempotency-Key with each request, as the panel does */
  idempotencyKeys: boolean;
}

function failureOf(o: StreamOutcome): string | null {
  if (o.error) return `error: ${o.error}`;
  if (o.status !== 200) return `status ${o.status}`;
  if (o.events.includes('error')) return 'error event';
  if (!o.events.includes('image_generation.completed')) return `no completed event (${o.events.join(',') || 'no events'})`;
  return null;
}

export async function measureStreamingLoad(o: LoadOptions): Promise<Figure[]> {
  const agent = keepAliveAgent(o.streams + 56);
  const idle = o.backend.memory();
  const sampler = sampleRss(o.backend, idle.rss);
  // What the memory is, from inside (JS heap vs array buffers), kept for the sample of highest RSS.
  let breakdown: { rss: number; heapUsed: number; heapTotal: number; arrayBuffers: number } | null = null;
  const inside = setInterval(() => {
    void o.backend.usage().then(
      (u) => {
        const rss = o.backend.memory().rss;
        if (!breakdown || rss > breakdown.rss) breakdown = { rss, heapUsed: u.heapUsed, heapTotal: u.heapTotal, arrayBuffers: u.arrayBuffers };
      },
      () => {},
    );
  }, 250);
  const body = Buffer.from(JSON.stringify({ prompt: 'A lighthouse at dusk, 35mm, soft light', size: '1024x1024', quality: 'low', stream: true, partial_images: 1 }));
  const started = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: o.streams }, () =>
      postStream(
        `${o.backend.url}/v1/images/generations`,
        // An Idempotency-Key on each, as the panel sends: the backend keeps each result for replay.
        { authorization: `Bearer ${o.token}`, 'content-type': 'application/json', ...(o.idempotencyKeys ? { 'idempotency-key': `bench-${randomUUID()}` } : {}) },
        body,
        agent,
        o.upstreamLatencyMs + 60_000,
      ),
    ),
  );
  const wall = performance.now() - started;
  sampler.stop();
  const peakRss = sampler.peak();
  clearInterval(inside);
  agent.destroy();
  const after = o.backend.memory();
  const peak = breakdown as { rss: number; heapUsed: number; heapTotal: number; arrayBuffers: number } | null;
  const hwm = Math.max(after.hwm, peakRss);
  const failures = outcomes.map(failureOf).filter((f): f is string => f !== null);
  const kinds = [...new Set(failures)].slice(0, 3).join('; ');
  const durations = outcomes.map((x) => x.ms);
  const bytesPerStream = median(outcomes.map((x) => x.bytes));
  const who = o.idempotencyKeys ? 'panel (Idempotency-Key)' : 'SDK client';
  const suffix = o.idempotencyKeys ? '-panel' : '';
  return [
    {
      id: `load-failures${suffix}`,
      label: `streaming load: ${o.streams} concurrent streams, ${o.upstreamLatencyMs / 1000} s upstream, ${who}: failures`,
      value: failures.length,
      unit: '',
      target: { op: '<=', value: o.maxFailures },
      details: `all ${o.streams} started at once, wall ${round(wall / 1000)} s; stream duration median ${round(median(durations) / 1000)} s, max ${round(Math.max(...durations) / 1000)} s; ` +
        `${round(bytesPerStream / 1024)} KB of events per stream (1 partial + completed, 1024×1024 PNG)${failures.length ? `; failures: ${kinds}` : ''}`,
      data: { streams: o.streams, wallMs: round(wall), medianStreamMs: round(median(durations)), maxStreamMs: round(Math.max(...durations)), bytesPerStream, failures: failures.slice(0, 20) },
    },
    {
      id: `load-peak-rss${suffix}`,
      label: `streaming load, ${who}: backend peak RSS`,
      value: mb(hwm),
      unit: 'MB',
      target: { op: '<=', value: o.maxPeakRssMb },
      details:
        `VmHWM of the backend process (bundled, plain node, alone in its child process); idle before the load ${mb(idle.rss)} MB, after ${mb(after.rss)} MB; sampled VmRSS peak ${mb(peakRss)} MB` +
        (peak ? `; at the highest 250 ms sample (${mb(peak.rss)} MB): JS heap ${mb(peak.heapUsed)} MB used of ${mb(peak.heapTotal)}, array buffers ${mb(peak.arrayBuffers)} MB` : '') +
        (o.idempotencyKeys ? `; results kept for replay by the in-memory store: ${o.streams} of ~${round(bytesPerStream / 2 / 1024)} KB of base64 each, held as bytes off the JS heap up to FRAMEFILL_MEMORY_RESULT_BYTES (64 MB by default), the oldest beyond it written to the spill directory (FRAMEFILL_RESULT_SPILL_BYTES)` : ''),
      data: {
        idleRssMb: mb(idle.rss),
        afterRssMb: mb(after.rss),
        vmHwmMb: mb(after.hwm),
        sampledPeakRssMb: mb(peakRss),
        ...(peak ? { atPeak: { rssMb: mb(peak.rss), heapUsedMb: mb(peak.heapUsed), heapTotalMb: mb(peak.heapTotal), arrayBuffersMb: mb(peak.arrayBuffers) } } : {}),
      },
    },
  ];
}
