// Upload load: many large authenticated edits at once against one backend process, the bodies
// being what the backend must hold (or refuse) before any limit has looked at them. Measures the
// backend's peak RSS from outside (/proc), like the streaming load (load.ts). Also used by the
// intake fault test (test/faults/intake.test.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import type { BackendProcess } from '../test/hardening/child-process';
import { mb } from '../test/hardening/proc-memory';
import { keepAliveAgent, post } from './http';
import { sampleRss } from './rss-sampler';
import { editMultipart } from './images';
import type { Figure } from './report';
import { round } from './stats';

export interface UploadOutcome {
  status: number;
  /** the error code of a refusal (OpenAI-style body), or null */
  code: string | null;
  retryAfter: string | null;
  ms: number;
}

/**
 * An edit whose one reference is `bytes` of noise sent as image/png: the backend has to read and
 * parse all of it to find out it is no image — the costliest upload an attacker can send.
 */
export function invalidEdit(bytes: number): { body: Buffer; contentType: string } {
  const boundary = `----upload${randomUUID()}`;
  const body = editMultipart(boundary, { prompt: 'Make the light warmer', size: '1024x1024', quality: 'low' }, [randomBytes(bytes)]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** `count` copies of `body` POSTed to /v1/images/edits at once; returns each outcome and the backend's peak RSS. */
export async function uploadBurst(o: { backend: BackendProcess; token: string; count: number; body: Buffer; contentType: string; timeoutMs?: number }): Promise<{ outcomes: UploadOutcome[]; idleRss: number; peakRss: number; hwm: number }> {
  const agent = keepAliveAgent(o.count + 4);
  const idle = o.backend.memory();
  const sampler = sampleRss(o.backend, idle.rss);
  try {
    const outcomes = await Promise.all(
      Array.from({ length: o.count }, async (): Promise<UploadOutcome> => {
        const headers = { authorization: `Bearer ${o.token}`, 'content-type': o.contentType };
        const exchange = await post(`${o.backend.url}/v1/images/edits`, headers, o.body, agent, o.timeoutMs ?? 60_000).catch((err: unknown) => ({
          status: 0,
          body: Buffer.from(JSON.stringify({ error: { code: `client: ${err instanceof Error ? err.message : String(err)}` } })),
          ms: 0,
        }));
        let code: string | null = null;
        try {
          code = (JSON.parse(exchange.body.toString('utf8')) as { error?: { code?: string } }).error?.code ?? null;
        } catch {
          // not JSON: no code
        }
        return { status: exchange.status, code, retryAfter: 'retryAfter' in exchange ? exchange.retryAfter ?? null : null, ms: exchange.ms };
      }),
    );
    sampler.stop();
    return { outcomes, idleRss: idle.rss, peakRss: sampler.peak(), hwm: Math.max(sampler.peak(), o.backend.memory().hwm) };
  } finally {
    sampler.stop();
    agent.destroy();
  }
}

/** The bench row: peak memory under `count` concurrent uploads of `bytes` each, on a fresh backend with the default caps. */
export async function measureUploadMemory(o: { backend: BackendProcess; token: string; count: number; bytes: number; maxPeakRssMb: number }): Promise<Figure[]> {
  const { body, contentType } = invalidEdit(o.bytes);
  const started = performance.now();
  const burst = await uploadBurst({ backend: o.backend, token: o.token, count: o.count, body, contentType });
  const wall = performance.now() - started;
  const tally = new Map<string, number>();
  for (const x of burst.outcomes) tally.set(`${x.status} ${x.code ?? ''}`.trim(), (tally.get(`${x.status} ${x.code ?? ''}`.trim()) ?? 0) + 1);
  const answers = [...tally].map(([k, n]) => `${n}× ${k}`).join(', ');
  return [
    {
      id: 'upload-peak-rss',
      label: `peak memory under ${o.count} concurrent ${round(o.bytes / 1024 / 1024)} MB authenticated uploads`,
      value: mb(burst.hwm),
      unit: 'MB',
      target: { op: '<=', value: o.maxPeakRssMb },
      details:
        `VmHWM of the backend process (bundled, plain node, default intake caps, no rate limit); idle before ${mb(burst.idleRss)} MB, sampled VmRSS peak ${mb(burst.peakRss)} MB; ` +
        `each an edit with one ${round(o.bytes / 1024 / 1024)} MB noise "image" (invalid: the backend must parse it to know); answers: ${answers}; wall ${round(wall / 1000)} s`,
      data: { idleRssMb: mb(burst.idleRss), sampledPeakRssMb: mb(burst.peakRss), vmHwmMb: mb(burst.hwm), answers: Object.fromEntries(tally) },
    },
  ];
}
