// Node: the production bundle (`npm run build:backend`, `node dist/server/node.mjs`) starts from
// the environment alone, serves the official SDK, and stops cleanly on SIGTERM (docker stop).
// The Docker image itself cannot be built here; its file is checked for what production needs.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNode, NODE_FLAGS, NODE_OUTFILE } from '../../scripts/build-backend.mjs';
import { ALICE_SECRET } from '../../backend/test-helpers/stack';
import { DEFAULT_API_KEY, startFakeOpenAI, type FakeOpenAI } from '../fake-openai/server';
import { checkEdit, checkGenerate, checkPanelBasics, checkStream, checkUsage, type Target } from './api-checks';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repo so the bundle's external packages resolve from node_modules, as in production.
const outDir = path.join(root, 'dist/deploy-test');
const outfile = path.join(outDir, 'node.mjs');

let fake: FakeOpenAI;
let server: ChildProcess;
let target: Target;
const output: string[] = [];

beforeAll(async () => {
  await buildNode({ outfile });
  fake = await startFakeOpenAI({ latencyMs: 5, partialIntervalMs: 2 });
  server = spawn(process.execPath, [...NODE_FLAGS, outfile], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      OPENAI_API_KEY: DEFAULT_API_KEY,
      OPENAI_BASE_URL: fake.url,
      FRAMEFILL_TOKENS: `alice:${ALICE_SECRET}`,
      FRAMEFILL_UPSTREAM_RETRIES: '0',
      HOST: '127.0.0.1',
      PORT: '0',
      FRAMEFILL_BATCH_POLL_SECONDS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  createInterface({ input: server.stderr! }).on('line', (l) => output.push(l));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start-up line in 15 s:\n${output.join('\n')}`)), 15_000);
    createInterface({ input: server.stdout! }).on('line', (line) => {
      output.push(line);
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    server.once('exit', (code) => reject(new Error(`exited ${code} before listening:\n${output.join('\n')}`)));
  });
  target = { origin, fake };
}, 30_000);

afterAll(async () => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  await fake?.close();
  await rm(outDir, { recursive: true, force: true });
});

describe('the Node production bundle', () => {
  it('serves the panel and the official SDK: generate, stream, edit, usage', async () => {
    await checkPanelBasics(target);
    await checkGenerate(target);
    await checkStream(target);
    await checkEdit(target);
    await checkUsage(target, 3);
  });

  it('follows overnight batches on its own timer (FRAMEFILL_BATCH_POLL_SECONDS)', async () => {
    const auth = { authorization: `Bearer ${ALICE_SECRET}` };
    const id = `node-batch-${Date.now()}`;
    const submitted = await fetch(`${target.origin}/v1/framefill/batches`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ id, kind: 'generation', prompt: 'a kite', quality: 'low', size: '1024x1024' }] }),
    });
    expect(submitted.status).toBe(202);
    fake.batches.completeNow();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await fetch(`${target.origin}/v1/results/${id}`, { headers: auth })).status;
    }
    expect(status).toBe(200);
  });

  it('never prints a secret, and exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    const all = output.join('\n');
    expect(all).not.toContain(ALICE_SECRET);
    expect(all).not.toContain(DEFAULT_API_KEY);
  });
});

describe('how Node is launched', () => {
  it('with the same V8 flags everywhere: npm run start:prod, the Docker image, npm start and the bench', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start:prod']).toBe(`node ${NODE_FLAGS.join(' ')} ${path.relative(root, NODE_OUTFILE)}`);
    expect(await readFile(path.join(root, 'scripts/start.mjs'), 'utf8')).toContain("run([...NODE_FLAGS, '--import', 'tsx', 'backend/platform/node.ts']");
    expect(await readFile(path.join(root, 'test/hardening/child-process.ts'), 'utf8')).toContain('const args = [...NODE_FLAGS,');
  });
});

describe('Dockerfile', () => {
  it('runs that bundle as a non-root user, reachable from outside the container, with a health check', async () => {
    const dockerfile = await readFile(path.join(root, 'Dockerfile'), 'utf8');
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(final).toMatch(/^FROM node:20-slim\b/m);
    expect(final).toMatch(/npm ci --omit=dev/);
    expect(final).toMatch(/^USER node$/m);
    expect(final).toMatch(/^EXPOSE 8787$/m);
    expect(final).toMatch(/HOST=0\.0\.0\.0/);
    expect(final).toMatch(/^HEALTHCHECK [\s\S]*?\/healthz/m);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(final)?.[1] ?? '[]') as string[];
    expect(cmd.slice(0, -1)).toEqual(['node', ...NODE_FLAGS]);
    expect(path.resolve(root, cmd.at(-1) ?? '')).toBe(NODE_OUTFILE);
    expect(dockerfile).toMatch(/node scripts\/build-backend\.mjs node/);
    const ignored = (await readFile(path.join(root, '.dockerignore'), 'utf8')).split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', '.env', '.git', 'dist']) expect(ignored).toContain(entry);
  });
});
