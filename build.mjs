// Framefill build: dist/code.js (Figma sandbox), one self-contained dist/ui.html (panel, JS and
// CSS inlined because Figma loads `ui` as a single HTML string), and manifest.json whose
// networkAccess is derived from the one backend URL setting.
//   node build.mjs            production build (minified)
//   node build.mjs --watch    rebuild on change (development)
//   node build.mjs --dev      unminified, with inline source maps
import * as esbuild from 'esbuild';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(fileURLToPath(import.meta.url));
const args = new Set(process.argv.slice(2));
const watch = args.has('--watch');
const dev = watch || args.has('--dev');
// Where dist/ and manifest.json go: the project itself, unless a test builds elsewhere.
const out = process.env.FRAMEFILL_BUILD_OUT ? path.resolve(process.env.FRAMEFILL_BUILD_OUT) : root;

/** The one place a team sets its backend: FRAMEFILL_BACKEND_URL, else framefill.config.json. */
export async function backendUrl() {
  const fromEnv = process.env.FRAMEFILL_BACKEND_URL?.trim();
  const config = JSON.parse(await readFile(path.join(root, 'framefill.config.json'), 'utf8'));
  const raw = fromEnv || config.backendUrl;
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`Framefill backend URL ${JSON.stringify(raw)} is not a URL (set FRAMEFILL_BACKEND_URL or framefill.config.json)`);
  }
  if (url.protocol !== 'https:' && !isLocal(url)) {
    throw new Error(`Framefill backend URL must be https (got ${url.origin}); only localhost may use http`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function isLocal(url) {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

export const DEV_ORIGIN = 'http://localhost:8787';

export function manifestFor(backend) {
  const url = new URL(backend);
  return {
    name: 'Framefill',
    id: 'framefill',
    api: '1.0.0',
    main: 'dist/code.js',
    ui: 'dist/ui.html',
    editorType: ['figma'],
    documentAccess: 'dynamic-page',
    networkAccess: {
      // Figma wants localhost only in devAllowedDomains; a local-only setup allows no other domain.
      allowedDomains: isLocal(url) ? ['none'] : [url.origin],
      devAllowedDomains: [...new Set([DEV_ORIGIN, ...(isLocal(url) ? [url.origin] : [])])],
      reasoning:
        "Framefill sends prompts and reference images to your team's Framefill backend, which calls OpenAI's gpt-image-2 with the team's key. No other network access.",
    },
    // Quick actions list these as "Framefill: Open Framefill" and "Framefill: Generate"; Generate
    // asks for a prompt and a tier (suggestions come from plugin/quick-action.ts) and runs at once.
    menu: [
      { name: 'Open Framefill', command: 'open' },
      {
        name: 'Generate',
        command: 'generate',
        parameters: [
          { name: 'Prompt', key: 'prompt', description: 'What to generate, subject first', allowFreeform: true },
          { name: 'Quality', key: 'tier', description: 'low, medium or high', optional: true },
        ],
      },
    ],
    // Figma shows these on a selected layer carrying the same relaunch data keys (plugin/provenance.ts).
    relaunchButtons: [
      { command: 'regenerate', name: 'Regenerate' },
      { command: 'expand', name: 'Expand to frame' },
      { command: 'upscale', name: 'Upscale 2×' },
    ],
  };
}

async function buildUi(backend) {
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'ui/main.tsx')],
    bundle: true,
    write: false,
    outdir: path.join(out, 'dist/ui-tmp'),
    format: 'iife',
    target: 'es2020',
    minify: !dev,
    sourcemap: dev ? 'inline' : false,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.css': 'css' },
    define: {
      __FRAMEFILL_DEFAULT_BACKEND__: JSON.stringify(backend),
      'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production'),
    },
    logLevel: 'warning',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  const template = await readFile(path.join(root, 'ui/index.html'), 'utf8');
  // </script> inside the bundle would end the inline script early.
  const safeJs = js.replace(/<\/script/gi, '<\\/script');
  const html = template
    .replace('<!-- CSS -->', () => `<style>${css}</style>`)
    .replace('<!-- JS -->', () => `<script>${safeJs}</script>`);
  await writeFile(path.join(out, 'dist/ui.html'), html);
}

const sandboxOptions = {
  entryPoints: [path.join(root, 'plugin/main.ts')],
  bundle: true,
  outfile: path.join(out, 'dist/code.js'),
  format: 'iife',
  // Figma: the sandbox gives "modern JavaScript (ES2020 and beyond), including … optional
  // chaining (?.), nullish coalescing (??), logical assignment operators"
  // (https://developers.figma.com/docs/plugins/how-plugins-run). Lowering to es2017 cost ~1.7 KB.
  target: 'es2020',
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  platform: 'neutral',
  mainFields: ['module', 'main'],
  logLevel: 'warning',
};

function sandboxBuild(backend) {
  return esbuild.build({ ...sandboxOptions, define: { __FRAMEFILL_DEFAULT_BACKEND__: JSON.stringify(backend) } });
}

/** The playground (test/playground): a Figma stand-in page that runs the built plugin. */
async function buildPlayground(backend) {
  const outdir = path.join(out, 'dist/playground');
  await mkdir(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: { host: path.join(root, 'test/playground/host.ts') },
    bundle: true,
    outdir,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: !dev,
    sourcemap: dev ? 'inline' : false,
    define: { __FRAMEFILL_DEFAULT_BACKEND__: JSON.stringify(backend) },
    logLevel: 'warning',
  });
  await writeFile(path.join(outdir, 'index.html'), await readFile(path.join(root, 'test/playground/index.html'), 'utf8'));
}

export async function build() {
  const backend = await backendUrl();
  await mkdir(path.join(out, 'dist'), { recursive: true });
  await Promise.all([sandboxBuild(backend), buildUi(backend), buildPlayground(backend)]);
  await writeFile(path.join(out, 'manifest.json'), JSON.stringify(manifestFor(backend), null, 2) + '\n');
  return backend;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const backend = await build();
  console.log(`built dist/code.js, dist/ui.html, manifest.json (backend ${backend})`);
  if (watch) {
    const { watch: fsWatch } = await import('node:fs');
    let timer;
    for (const dir of ['plugin', 'ui', 'backend', 'common']) {
      fsWatch(path.join(root, dir), { recursive: true }, () => {
        clearTimeout(timer);
        timer = setTimeout(() => build().then(() => console.log('rebuilt'), (e) => console.error(e.message)), 100);
      });
    }
    console.log('watching plugin/, ui/, backend/ and common/ …');
  }
}
