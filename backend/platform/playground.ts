// Development only (Node): serves the playground — the built plugin on a stand-in Figma canvas —
// from dist/. Mounted by the Node server when FRAMEFILL_PLAYGROUND=1, ahead of the API, so the
// API's strict CSP does not apply here; these routes set a CSP of their own that allows what
// the page needs (its script, `new Function` for the plugin code, the inline-script srcdoc
// panel — which inherits this CSP —, blob:/data: images and calls to a local backend).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';
import { ConfigError } from '../errors';

export interface PlaygroundOptions {
  /** the build output (dist/) holding code.js, ui.html and playground/ */
  distDir: string;
  /** the backend's upstream is the local stand-in, not OpenAI (shown as a banner) */
  demo: boolean;
  /** NODE_ENV (default: the process's): the playground is refused in production */
  nodeEnv?: string | undefined;
}

export const PLAYGROUND_CSP = [
  "default-src 'self'",
  // unsafe-eval: the host runs dist/code.js with new Function, like Figma's sandbox evaluates it.
  // unsafe-inline: dist/ui.html is one HTML file with inline script and style (Figma's format).
  "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // the panel calls the backend: this server, or another local one (?backend=), or https.
  "connect-src 'self' data: blob: http://localhost:* http://127.0.0.1:* https:",
  "frame-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'self'",
].join('; ');

const FILES: Record<string, { file: string[]; type: string }> = {
  '/playground': { file: ['playground', 'index.html'], type: 'text/html; charset=utf-8' },
  '/playground/': { file: ['playground', 'index.html'], type: 'text/html; charset=utf-8' },
  '/playground/host.js': { file: ['playground', 'host.js'], type: 'text/javascript; charset=utf-8' },
  '/playground/host.css': { file: ['playground', 'host.css'], type: 'text/css; charset=utf-8' },
  '/playground/code.js': { file: ['code.js'], type: 'text/javascript; charset=utf-8' },
  // Fetched as text and shown through srcdoc, as Figma does with __html__.
  '/playground/ui.html': { file: ['ui.html'], type: 'text/html; charset=utf-8' },
};

function headers(type: string): Record<string, string> {
  return {
    'content-type': type,
    'cache-control': 'no-store',
    'content-security-policy': PLAYGROUND_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

export function playgroundRoutes(options: PlaygroundOptions): Hono {
  const app = new Hono();
  for (const [route, { file, type }] of Object.entries(FILES)) {
    app.get(route, async (c) => {
      const where = path.join(options.distDir, ...file);
      try {
        return c.body(await readFile(where), 200, headers(type));
      } catch {
        return c.text(`Playground file ${path.relative(process.cwd(), where) || where} is missing — run \`npm run build\` first.\n`, 404, headers('text/plain; charset=utf-8'));
      }
    });
  }
  app.get('/playground/mode', (c) => c.body(JSON.stringify({ demo: options.demo }), 200, headers('application/json')));
  return app;
}

type Fetch = (request: Request, ...rest: never[]) => Response | Promise<Response>;

/**
 * The API's fetch with the playground in front: /playground paths never reach the API app (so
 * none of its middleware — auth, the strict CSP — runs for them); everything else does.
 */
export function withPlayground<F extends Fetch>(apiFetch: F, options: PlaygroundOptions): F {
  // A development page (unsafe-eval CSP, the built plugin) has no place on a production server:
  // refuse to start rather than serve it because a development variable leaked into a deploy.
  if (('nodeEnv' in options ? options.nodeEnv : process.env.NODE_ENV) === 'production') {
    throw new ConfigError('FRAMEFILL_PLAYGROUND=1 is for development only and NODE_ENV is production; unset FRAMEFILL_PLAYGROUND.');
  }
  const routes = playgroundRoutes(options);
  return ((request: Request, ...rest: never[]) => {
    const { pathname } = new URL(request.url);
    return pathname === '/playground' || pathname.startsWith('/playground/') ? routes.fetch(request) : apiFetch(request, ...rest);
  }) as F;
}
