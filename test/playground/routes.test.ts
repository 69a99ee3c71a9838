// The playground's routes (backend/platform/playground.ts): the built files, never cached, under a
// CSP of their own that lets the page run the plugin and its srcdoc panel.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { playgroundRoutes, withPlayground } from '../../backend/platform/playground';
import { API_CSP } from '../../backend/http/middleware/security-headers';

const dist = mkdtempSync(path.join(tmpdir(), 'framefill-playground-'));
mkdirSync(path.join(dist, 'playground'));
writeFileSync(path.join(dist, 'playground', 'index.html'), '<!doctype html><title>pg</title>');
writeFileSync(path.join(dist, 'playground', 'host.js'), 'void 0;');
writeFileSync(path.join(dist, 'code.js'), 'figma.showUI(__html__);');
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('playground routes', () => {
  const app = playgroundRoutes({ distDir: dist, demo: true });

  it('serves the page, the host script and the built plugin, uncached, with the playground CSP', async () => {
    for (const [route, type, body] of [
      ['/playground', 'text/html', '<title>pg</title>'],
      ['/playground/host.js', 'text/javascript', 'void 0;'],
      ['/playground/code.js', 'text/javascript', 'figma.showUI'],
    ] as const) {
      const res = await app.request(route);
      expect(res.status, route).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).not.toBe(API_CSP);
      expect(csp).toContain("'unsafe-eval'");
      expect(csp).toMatch(/img-src [^;]*blob:/);
      expect(csp).toMatch(/connect-src [^;]*http:\/\/127\.0\.0\.1:\*/);
      expect(await res.text()).toContain(body);
    }
  });

  it('says whether the backend runs in demo mode', async () => {
    expect(await (await app.request('/playground/mode')).json()).toEqual({ demo: true });
    expect(await (await playgroundRoutes({ distDir: dist, demo: false }).request('/playground/mode')).json()).toEqual({ demo: false });
  });

  it('answers a missing build with a 404 that says to build', async () => {
    const res = await app.request('/playground/ui.html');
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/npm run build/);
  });

  it('sits in front of the API without its middleware: /playground is served, the rest goes to the API', async () => {
    const api = async (request: Request) => new Response(`api ${new URL(request.url).pathname}`, { headers: { 'content-security-policy': API_CSP } });
    const fetch = withPlayground(api, { distDir: dist, demo: false });
    const page = await fetch(new Request('http://127.0.0.1/playground'));
    expect(page.headers.get('content-security-policy')).not.toBe(API_CSP);
    expect(await page.text()).toContain('<title>pg</title>');
    expect(await (await fetch(new Request('http://127.0.0.1/v1/usage'))).text()).toBe('api /v1/usage');
    expect(await (await fetch(new Request('http://127.0.0.1/playgroundx'))).text()).toBe('api /playgroundx');
  });
});
