// `npm run backend`: the backend on Node. Reads the environment, refuses to start with a
// one-line reason when it is unusable, prints one line when listening, stops on SIGINT/SIGTERM:
// no new connections, requests in flight get the grace (FRAMEFILL_SHUTDOWN_GRACE_MS), then every reservation
// still open is settled or given back (app-from-env.ts close) before the store closes and the
// process exits. A second signal exits at once; what it leaves is released when its leases expire.
import { createAppFromEnv, type EnvApp } from './app-from-env';
import { createDiskSpill } from './disk-spill';
import { ConfigError } from '../errors';
import { batchDefaults, secretsOf } from '../config/load-config';
import path from 'node:path';
import { withPlayground } from './playground';
import { serveApp } from './node-server';
import { upstreamOrigin } from '../upstream/client';

async function main(): Promise<void> {
  let built: EnvApp;
  try {
    // Results the memory store has no room for go to a private temp directory, not away.
    built = await createAppFromEnv(process.env, {}, (dir) => createDiskSpill({ parent: dir, warn: (m) => process.stderr.write(`Warning: ${m}\n`) }));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Framefill backend not started: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const { config, warnings } = built;
  for (const w of warnings) process.stderr.write(`Warning: ${w}\n`);
  // Development only: the browser playground (npm start sets FRAMEFILL_PLAYGROUND=1).
  const playground = process.env.FRAMEFILL_PLAYGROUND === '1';
  const distDir = path.resolve(process.env.FRAMEFILL_DIST_DIR ?? 'dist');
  const fetch = playground
    ? withPlayground(built.app.fetch, { distDir, demo: process.env.FRAMEFILL_DEMO === '1' })
    : built.app.fetch;
  const running = await serveApp({ fetch }, { ...config, secrets: secretsOf(config) });
  const tokens = `${config.tokens.length} token${config.tokens.length === 1 ? '' : 's'}`;
  console.log(`Framefill backend listening on ${running.url} (upstream ${upstreamOrigin(config.openaiBaseUrl)}, model ${config.model}, ${tokens})`);
  const batchTimer = followBatches(built, (config.batch ?? batchDefaults()).pollSeconds);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.exit(1); // a second Ctrl-C means now
    }
    stopping = true;
    clearInterval(batchTimer);
    process.stderr.write(`${signal}: stopping (waiting for requests in flight)…\n`);
    void running
      .close(config.shutdownGraceMs)
      .then(() => built.close())
      .catch(() => {})
      .then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/**
 * Overnight batches (issue 16): every `pollSeconds` this instance advances the open batches; the
 * store's per-batch lock lets any number of instances do so. One run at a time; unref'd, so the
 * timer never keeps the process alive.
 */
function followBatches(built: EnvApp, pollSeconds: number): ReturnType<typeof setInterval> {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    built
      .advanceBatches(Date.now())
      .catch((err: unknown) => process.stderr.write(`Framefill: batches not advanced: ${err instanceof Error ? err.message : String(err)}\n`))
      .finally(() => {
        running = false;
      });
  }, pollSeconds * 1000);
  timer.unref();
  return timer;
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`Framefill backend not started: ${message}\n`);
  process.exit(1);
});
