// Production builds of the backend, one bundle per platform, all from the same app:
//   node scripts/build-backend.mjs [node|worker|vercel ...]   (no argument: all three)
//   node    → dist/server/node.mjs      `node dist/server/node.mjs` (npm packages stay external:
//                                       run it next to node_modules, e.g. after npm ci --omit=dev)
//   worker  → dist/worker/index.mjs     self-contained ES module for Cloudflare Workers (wrangler.toml
//                                       `main`); ./redis-store is swapped for a stub (no ioredis, no node:)
//   vercel  → .vercel/output            Vercel Build Output API: one streaming Node.js function that
//                                       serves /v1/* and /healthz. Prebuilt because Vercel's own
//                                       TypeScript step leaves extensionless ESM imports that Node
//                                       cannot load (vercel/vercel#14910).
import * as esbuild from 'esbuild';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const NODE_OUTFILE = path.join(root, 'dist/server/node.mjs');
/**
 * How Node runs the server (package.json start:prod, the Dockerfile's CMD, npm start, the bench;
 * test/deploy/node.test.ts keeps them equal). V8 sizes the old generation by what survives, and
 * the backend keeps little (~12 MB): its limit then sits one young generation above that, so each
 * request's few promoted bytes started a full mark-compact — one per edit, a third of its CPU
 * (bench/README.md). Starting the old generation at 64 MB leaves it room: an edit's CPU fell
 * from ~37 to ~16 ms, a generation's from ~8 to ~5 ms; peak RSS under the streaming load rose
 * ~15 MB. A launch flag only: V8 reads it when the heap is made, and NODE_OPTIONS refuses it.
 */
export const NODE_FLAGS = ['--initial-old-space-size=64'];
export const WORKER_OUTFILE = path.join(root, 'dist/worker/index.mjs');
export const VERCEL_OUTPUT_DIR = path.join(root, '.vercel/output');
/** The function's name in the Build Output: routes point at `/${VERCEL_FUNCTION}`. */
export const VERCEL_FUNCTION = 'api';
export const VERCEL_RUNTIME = 'nodejs22.x';
/** Seconds; high-quality images take minutes. Plans cap it (Hobby 300, Pro/Enterprise up to 800). */
export const DEFAULT_VERCEL_MAX_DURATION = 300;

const common = {
  bundle: true,
  format: 'esm',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

/** Serve the Node-only Redis (TCP) store module as a stub: ioredis cannot run on Workers. */
const redisStoreStub = {
  name: 'framefill-redis-store-stub',
  setup(build) {
    const real = path.join(root, 'backend/store/redis-store');
    const stub = path.join(root, 'backend/platform/redis-store-stub.ts');
    build.onResolve({ filter: /redis-store$/ }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      return target === real ? { path: stub } : undefined;
    });
  },
};

export async function buildNode({ outfile = NODE_OUTFILE } = {}) {
  return esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'backend/platform/node.ts')],
    outfile,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
  });
}

/** `entry` lets tests bundle another module with exactly the Workers settings. */
export async function buildWorker({ outfile = WORKER_OUTFILE, entry = path.join(root, 'backend/platform/worker.ts') } = {}) {
  return esbuild.build({
    ...common,
    entryPoints: [entry],
    outfile,
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    minify: true,
    plugins: [redisStoreStub],
  });
}

export function vercelMaxDuration(env = process.env) {
  const raw = env.FRAMEFILL_VERCEL_MAX_DURATION?.trim();
  if (!raw) return DEFAULT_VERCEL_MAX_DURATION;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 800) {
    throw new Error(`FRAMEFILL_VERCEL_MAX_DURATION must be a whole number of seconds from 1 to 800 (got "${raw}")`);
  }
  return n;
}

/** Build Output API routes: the function answers the API and the health check, nothing else. */
export const VERCEL_ROUTES = [
  { src: '^/healthz$', dest: `/${VERCEL_FUNCTION}` },
  { src: '^/v1(?:/.*)?$', dest: `/${VERCEL_FUNCTION}` },
];

export async function buildVercel({ outputDir = VERCEL_OUTPUT_DIR, maxDuration = vercelMaxDuration() } = {}) {
  await rm(outputDir, { recursive: true, force: true });
  const funcDir = path.join(outputDir, 'functions', `${VERCEL_FUNCTION}.func`);
  await mkdir(path.join(outputDir, 'static'), { recursive: true });
  const result = await esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'backend/platform/vercel.ts')],
    outfile: path.join(funcDir, 'index.mjs'),
    platform: 'node',
    target: 'node20',
    // Self-contained: the function ships without node_modules. CommonJS dependencies (ioredis)
    // call require(), which an ES module only has when given one.
    banner: { js: "import { createRequire as __ffCreateRequire } from 'node:module'; const require = __ffCreateRequire(import.meta.url);" },
    minify: true,
  });
  const vcConfig = {
    runtime: VERCEL_RUNTIME,
    handler: 'index.mjs',
    launcherType: 'Nodejs',
    shouldAddHelpers: false,
    supportsResponseStreaming: true,
    maxDuration,
  };
  await writeFile(path.join(funcDir, '.vc-config.json'), JSON.stringify(vcConfig, null, 2) + '\n');
  // Vercel Cron calls the batch route (with Authorization: Bearer $CRON_SECRET) so overnight
  // batches are followed without a server of our own (issue 16).
  const crons = [{ path: '/v1/framefill/cron/batches', schedule: '*/10 * * * *' }];
  await writeFile(path.join(outputDir, 'config.json'), JSON.stringify({ version: 3, routes: VERCEL_ROUTES, crons }, null, 2) + '\n');
  return result;
}

const TARGETS = { node: buildNode, worker: buildWorker, vercel: buildVercel };

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((t) => !(t in TARGETS));
  if (unknown.length > 0) {
    console.error(`Unknown target ${unknown.join(', ')}; use ${Object.keys(TARGETS).join(', ')}.`);
    process.exit(2);
  }
  for (const target of wanted.length > 0 ? wanted : Object.keys(TARGETS)) {
    await TARGETS[target]();
    console.log(`built backend for ${target}`);
  }
}
