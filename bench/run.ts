// `npm run bench`: Framefill's speed and memory figures, measured side by side in one run, printed
// as a table (figure, target, PASS/MISS) and written to test-results/bench.json (ignored by git:
// a run leaves the tree as it found it). See bench/README.md.
// Not a test: it always finishes with exit code 0 unless something could not be measured.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleBackendChild, startBackendProcess, startFakeProcess, unlimitedEnv, type BackendProcess, type BundledChild, type FakeProcess } from '../test/hardening/child-process';
import { PROC_MEMORY_AVAILABLE } from '../test/hardening/proc-memory';
import { measureBundles } from './bundle';
import { keepAliveAgent } from './http';
import { editMultipart, noisePng } from './images';
import { measureStreamingLoad } from './load';
import { measureUploadMemory } from './uploads';
import { measurePlacement } from './placement';
import { measurePairs, overheadFigures, type OverheadCase, type PairedSamples } from './proxy-overhead';
import { environment, table, writeResults, type Figure } from './report';
import { round } from './stats';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = fileURLToPath(new URL('../test-results/bench.json', import.meta.url));
const FAKE_KEY = 'sk-fake-bench-3b9d0c5e7a214f68';
const TOKEN = 'ff-bench-8e41c2a97b5d0f36';

const WARMUP = 30;
const RUNS = 100;
/**
 * The realistic upstream for the overhead ratio: 1 s, short for gpt-image-2 (10–120 s a call)
 * yet enough that the ratio measures what a user waits for, not loopback JSON handling alone.
 */
const REALISTIC_LATENCY_MS = 1_000;
const REALISTIC_WARMUP = 2;
const REALISTIC_RUNS = 20;
/** Pairs overlap (each takes ~2 s) but start this far apart: about four in flight, their uploads and responses rarely at the same moment. */
const REALISTIC_STAGGER_MS = 500;

const progress = (message: string) => process.stderr.write(`[bench ${round((performance.now() - t0) / 1000)} s] ${message}\n`);
const t0 = performance.now();

const running: Array<BackendProcess | FakeProcess> = [];
let bundle: BundledChild | undefined;
/** A fake upstream and a backend (bundled, on plain node, as deployed) in their own processes. */
async function stack(latencyMs: number): Promise<{ fake: FakeProcess; backend: BackendProcess }> {
  bundle ??= await bundleBackendChild();
  const fake = await startFakeProcess({ apiKey: FAKE_KEY, latencyMs });
  running.push(fake);
  const backend = await startBackendProcess({
    OPENAI_API_KEY: FAKE_KEY,
    OPENAI_BASE_URL: fake.url,
    FRAMEFILL_TOKENS: `bench:${TOKEN}`,
    FRAMEFILL_UPSTREAM_RETRIES: '0',
    FRAMEFILL_UPSTREAM_TIMEOUT_MS: '120000',
    ...unlimitedEnv(),
  }, { bundle });
  running.push(backend);
  return { fake, backend };
}
async function stopAll(): Promise<void> {
  await Promise.all(running.splice(0).map((p) => p.stop()));
}

const figures: Figure[] = [];
try {
  if (!PROC_MEMORY_AVAILABLE) progress('no /proc (not Linux): memory figures cannot be read');

  // 1. Proxy overhead, generation and edit; once as an OpenAI SDK sends them, once as the panel
  //    does (with an Idempotency-Key, so the backend also keeps the result for replay). Measured
  //    (a) against a fake that answers at once: the milliseconds the backend itself adds; and
  //    (b) against one taking REALISTIC_LATENCY_MS: the ratio a user can feel (the target).
  {
    const direct = (type: string) => () => ({ authorization: `Bearer ${FAKE_KEY}`, 'content-type': type });
    const proxied = (type: string, panel: boolean) => () => ({
      authorization: `Bearer ${TOKEN}`,
      'content-type': type,
      ...(panel ? { 'idempotency-key': `bench-${randomUUID()}` } : {}),
    });
    const generation = Buffer.from(JSON.stringify({ prompt: 'A lighthouse at dusk, 35mm, soft light', size: '1536x1024', quality: 'low' }));
    const boundary = `----bench${randomUUID()}`;
    const references = [noisePng(832, 832), noisePng(832, 832)];
    const edit = editMultipart(boundary, { prompt: 'Make the light warmer', size: '1536x1024', quality: 'low' }, references);
    const refs = `references ${references.map((r) => `${round(r.length / 1024 / 1024, 2)} MB`).join(' + ')}`;
    const cases = (fakeUrl: string, backendUrl: string): OverheadCase[] =>
      [false, true].flatMap((panel) => {
        const who = panel ? 'panel (Idempotency-Key)' : 'SDK client';
        const keyNote = panel ? 'a fresh Idempotency-Key per backend request' : 'no Idempotency-Key';
        return [
          {
            id: `overhead-generation${panel ? '-panel' : ''}`,
            label: `generation 1536×1024, non-stream, ${who}`,
            direct: { url: `${fakeUrl}/images/generations`, headers: direct('application/json') },
            viaBackend: { url: `${backendUrl}/v1/images/generations`, headers: proxied('application/json', panel) },
            body: generation,
            note: keyNote,
          },
          {
            id: `overhead-edit${panel ? '-panel' : ''}`,
            label: `edit, two 2 MB references → 1536×1024, ${who}`,
            direct: { url: `${fakeUrl}/images/edits`, headers: direct(`multipart/form-data; boundary=${boundary}`) },
            viaBackend: { url: `${backendUrl}/v1/images/edits`, headers: proxied(`multipart/form-data; boundary=${boundary}`, panel) },
            body: edit,
            note: `${keyNote}; ${refs}`,
          },
        ];
      });

    const instant = new Map<string, PairedSamples>();
    {
      const { fake, backend } = await stack(0);
      const agent = keepAliveAgent(4);
      for (const c of cases(fake.url, backend.url)) {
        progress(`proxy overhead, ${c.label}, 0 ms upstream: ${WARMUP} + ${RUNS} paired runs`);
        instant.set(c.id, await measurePairs(c, { warmup: WARMUP, runs: RUNS, agent, upstreamLatencyMs: 0, staggerMs: 0 }));
      }
      agent.destroy();
      await stopAll();
    }
    {
      const { fake, backend } = await stack(REALISTIC_LATENCY_MS);
      const agent = keepAliveAgent(64);
      for (const c of cases(fake.url, backend.url)) {
        progress(`proxy overhead, ${c.label}, ${REALISTIC_LATENCY_MS} ms upstream: ${REALISTIC_WARMUP} + ${REALISTIC_RUNS} paired runs, started ${REALISTIC_STAGGER_MS} ms apart`);
        const realistic = await measurePairs(c, { warmup: REALISTIC_WARMUP, runs: REALISTIC_RUNS, agent, upstreamLatencyMs: REALISTIC_LATENCY_MS, staggerMs: REALISTIC_STAGGER_MS });
        figures.push(...overheadFigures(c, instant.get(c.id)!, realistic, 1.03));
      }
      agent.destroy();
      await stopAll();
    }
  }

  // 2. Streaming load, each variant through a fresh backend process (its peak RSS is that load's alone).
  for (const idempotencyKeys of [false, true]) {
    const { backend } = await stack(10_000);
    progress(`streaming load: 200 concurrent streams, 10 s upstream latency, ${idempotencyKeys ? 'panel (Idempotency-Key)' : 'SDK client'}`);
    figures.push(...(await measureStreamingLoad({ backend, token: TOKEN, streams: 200, upstreamLatencyMs: 10_000, maxFailures: 0, maxPeakRssMb: 300, idempotencyKeys })));
    await stopAll();
  }

  // 2b. Upload load: 20 large edits at once through a fresh backend process (default intake caps).
  {
    const { backend } = await stack(0);
    progress('upload load: 20 concurrent 24 MB authenticated edits');
    figures.push(...(await measureUploadMemory({ backend, token: TOKEN, count: 20, bytes: 24 * 1024 * 1024, maxPeakRssMb: 300 })));
    await stopAll();
  }

  // 3. Sandbox placement of a 4-megapixel result.
  progress('sandbox placement: 2048×2048 PNG, 10 + 40 runs');
  figures.push(...(await measurePlacement({ width: 2048, height: 2048, warmup: 10, runs: 40, maxMedianMs: 50 })));

  // 4. Bundle sizes.
  figures.push(...measureBundles(ROOT));
} catch (error) {
  await stopAll();
  progress(`failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
  bundle?.dispose();
}

if (figures.length > 0) {
  const seconds = (performance.now() - t0) / 1000;
  const env = environment();
  console.log(`\nFramefill bench — ${env.date}, Node ${env.node}, ${env.platform}, ${env.cpus} CPU (${env.cpuModel}), ${round(seconds)} s\n`);
  console.log(table(figures));
  writeResults(RESULTS, figures, seconds);
  console.log(`\nwritten to ${path.relative(ROOT, RESULTS)} (ignored by git)`);
}
