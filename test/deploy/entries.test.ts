// Every serverless entry is a thin adapter over the one app: the platform hands over a Web
// Request and its environment, and createAppFromEnv does the rest. Logic that crept into an entry
// would make one platform behave differently from the others.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const entries = fileURLToPath(new URL('../../backend/platform/', import.meta.url));

async function source(file: string) {
  const text = await readFile(entries + file, 'utf8');
  const runtimeImports = [...text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)';/gm)].map((m) => m[1]);
  const codeLines = text.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('//'));
  return { text, runtimeImports, codeLines };
}

describe('platform entries', () => {
  for (const file of ['worker.ts', 'vercel.ts']) {
    it(`${file} only hands requests and its environment to the shared fetch handler`, async () => {
      const { runtimeImports, codeLines } = await source(file);
      expect(runtimeImports).toEqual(['./fetch-handler']);
      expect(codeLines.length).toBeLessThanOrEqual(12);
    });
  }

  it('the Node entry builds its app with createAppFromEnv too', async () => {
    const text = await readFile(fileURLToPath(new URL('../../backend/platform/node.ts', import.meta.url)), 'utf8');
    expect(text).toMatch(/from '\.\/app-from-env'/);
    expect(text).not.toMatch(/\bcreateApp\(|\bloadConfig\(|\bstartServer\(/);
  });

  it('the shared fetch handler builds the app with createAppFromEnv and nothing else', async () => {
    const { text, runtimeImports } = await source('fetch-handler.ts');
    expect(runtimeImports).toContain('./app-from-env');
    expect(runtimeImports).not.toContain('../app');
    expect(text).toMatch(/createAppFromEnv/);
    expect(text).not.toMatch(/\bcreateApp\(|\bloadConfig\(|\bcreateStoreFromEnv\(/);
  });
});
