// The OpenAI key is the backend's alone: a build made with a canary key in its environment must
// not carry it (nor any other secret from the environment) into what ships to Figma.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CANARY_KEY = 'sk-canary-build-7f3a9c1e5b2d4f6a8c0e';
const CANARY_TOKEN = 'ff-canary-client-secret-91b2c3d4';
let out: string;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'framefill-build-'));
  await run(process.execPath, ['build.mjs'], {
    env: { ...process.env, FRAMEFILL_BUILD_OUT: out, OPENAI_API_KEY: CANARY_KEY, FRAMEFILL_TOKENS: `team:${CANARY_TOKEN}` },
  });
}, 60_000);
afterAll(() => rm(out, { recursive: true, force: true }));

describe('what ships to Figma', () => {
  it('holds the plugin, the panel and the manifest', async () => {
    const files = (await filesUnder(out)).map((f) => path.relative(out, f));
    expect(files).toEqual(expect.arrayContaining(['manifest.json', path.join('dist', 'code.js'), path.join('dist', 'ui.html')]));
  });

  it('never contains the OpenAI key or a client secret from the build environment', async () => {
    const files = await filesUnder(out);
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      expect(text, file).not.toContain(CANARY_KEY);
      expect(text, file).not.toContain(CANARY_TOKEN);
      expect(text, file).not.toMatch(/sk-[A-Za-z0-9_-]{20,}/);
    }
  });
});
