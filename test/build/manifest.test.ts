// The one backend URL setting feeds the manifest's network access (and the panel's default).
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { backendUrl, DEV_ORIGIN, manifestFor } from '../../build.mjs';

const saved = process.env.FRAMEFILL_BACKEND_URL;
afterEach(() => {
  if (saved === undefined) delete process.env.FRAMEFILL_BACKEND_URL;
  else process.env.FRAMEFILL_BACKEND_URL = saved;
});

describe('backend URL → manifest', () => {
  it('allows exactly the deployed origin, keeping localhost for development', () => {
    const manifest = manifestFor('https://framefill.example.com/team');
    expect(manifest.networkAccess.allowedDomains).toEqual(['https://framefill.example.com']);
    expect(manifest.networkAccess.devAllowedDomains).toEqual([DEV_ORIGIN]);
    expect(manifest.networkAccess.reasoning).toMatch(/backend/);
  });

  it('a local-only setup allows no remote domain and reaches localhost as a dev domain', () => {
    const manifest = manifestFor('http://localhost:8787');
    expect(manifest.networkAccess.allowedDomains).toEqual(['none']);
    expect(manifest.networkAccess.devAllowedDomains).toContain('http://localhost:8787');
  });

  it('declares the plugin as Figma loads it, with a quick action and its relaunch buttons (Regenerate, and the edit tools Expand to frame and Upscale 2×)', () => {
    const manifest = manifestFor('https://ff.example.com');
    expect(manifest).toMatchObject({ name: 'Framefill', main: 'dist/code.js', ui: 'dist/ui.html', editorType: ['figma'], documentAccess: 'dynamic-page' });
    const generate = manifest.menu.find((m) => m.command === 'generate');
    expect(generate?.parameters?.map((p) => p.key)).toEqual(['prompt', 'tier']);
    expect(manifest.relaunchButtons).toEqual([
      { command: 'regenerate', name: 'Regenerate' },
      { command: 'expand', name: 'Expand to frame' },
      { command: 'upscale', name: 'Upscale 2×' },
    ]);
  });

  it('FRAMEFILL_BACKEND_URL overrides framefill.config.json and is normalised', async () => {
    process.env.FRAMEFILL_BACKEND_URL = 'https://ff.example.com/';
    expect(await backendUrl()).toBe('https://ff.example.com');
    delete process.env.FRAMEFILL_BACKEND_URL;
    const config = JSON.parse(await readFile('framefill.config.json', 'utf8')) as { backendUrl: string };
    expect(await backendUrl()).toBe(config.backendUrl.replace(/\/+$/, ''));
  });

  it('refuses a plain-http remote backend and a non-URL with a clear message', async () => {
    process.env.FRAMEFILL_BACKEND_URL = 'http://framefill.example.com';
    await expect(backendUrl()).rejects.toThrow(/must be https/);
    process.env.FRAMEFILL_BACKEND_URL = 'not a url';
    await expect(backendUrl()).rejects.toThrow(/is not a URL/);
  });
});
