// Runs the fake OpenAI images server on its own, for the product's demo mode:
//   PORT=8787 FAKE_OPENAI_LATENCY_MS=1500 tsx test/fake-openai/serve.ts
// FAKE_OPENAI_NO_STREAM_MODELS (comma-separated model ids) makes those models refuse streaming.
// FAKE_OPENAI_BATCH_LATENCY_MS (default 60000): how long a batch takes from creation to completed.
// Prints `fake-openai listening on <url>`; point OPENAI_BASE_URL at that url.
import { DEFAULT_API_KEY, startFakeOpenAI } from './server.js';

const port = Number(process.env.PORT ?? 0);
const latencyMs = Number(process.env.FAKE_OPENAI_LATENCY_MS ?? 1500);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0..65535, got ${process.env.PORT}`);
if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error(`FAKE_OPENAI_LATENCY_MS must be >= 0, got ${process.env.FAKE_OPENAI_LATENCY_MS}`);
const batchLatencyMs = Number(process.env.FAKE_OPENAI_BATCH_LATENCY_MS ?? 60_000);
if (!Number.isFinite(batchLatencyMs) || batchLatencyMs < 0) throw new Error(`FAKE_OPENAI_BATCH_LATENCY_MS must be >= 0, got ${process.env.FAKE_OPENAI_BATCH_LATENCY_MS}`);

const fake = await startFakeOpenAI({
  port,
  apiKey: process.env.FAKE_OPENAI_KEY || DEFAULT_API_KEY,
  latencyMs,
  batchLatencyMs,
  // Spread the partial previews over the "generation" time, as upstream does.
  partialIntervalMs: Math.max(10, Math.round(latencyMs / 4)),
  noStreamModels: (process.env.FAKE_OPENAI_NO_STREAM_MODELS ?? '').split(',').map((m) => m.trim()).filter(Boolean),
});
console.log(`fake-openai listening on ${fake.url}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void fake.close().then(() => process.exit(0));
  });
}
