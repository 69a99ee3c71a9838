// `npm start`: build the plugin, then run the backend (and, without an OpenAI key, a clearly
// labelled demo upstream) so a new user can import manifest.json into Figma or open the
// playground in a browser with one command.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from './build-backend.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const children = [];

function run(args, env, label) {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      console.error(`${label} exited (${signal ?? code}); stopping.`);
      shutdown(code ?? 1);
    }
  });
  return child;
}

/** Resolve with the first stdout line matching `pattern`, echoing everything. */
function waitForLine(child, pattern, label) {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    let found = false;
    lines.on('line', (line) => {
      console.log(`[${label}] ${line}`);
      const match = pattern.exec(line);
      if (match && !found) {
        found = true;
        resolve(match);
      }
    });
    child.on('exit', () => found || reject(new Error(`${label} stopped before it was ready`)));
  });
}

let shuttingDown = false;
function shutdown(code = 0) {
  shuttingDown = true;
  for (const child of children) child.kill('SIGTERM');
  process.exitCode = code;
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

const build = spawn(process.execPath, ['build.mjs'], { cwd: root, stdio: 'inherit' });
const buildCode = await new Promise((resolve) => build.on('exit', resolve));
if (buildCode !== 0) process.exit(buildCode ?? 1);

const env = { ...process.env };
const demo = !env.OPENAI_API_KEY;
if (demo) {
  const fake = run(['--import', 'tsx', 'test/fake-openai/serve.ts'], { ...env, PORT: '0' }, 'demo upstream');
  const [, url] = await waitForLine(fake, /listening on (\S+)/, 'demo upstream');
  env.OPENAI_API_KEY = env.FAKE_OPENAI_KEY ?? 'sk-fake-test-key';
  env.OPENAI_BASE_URL = url;
  env.FRAMEFILL_TOKENS ??= 'demo:demo-token';
  env.FRAMEFILL_DEMO = '1';
  // The stand-in upstream knows the whole model family: offer it, so the picker has all three.
  env.FRAMEFILL_ALLOWED_MODELS ??= 'gpt-image-2,gpt-image-2.5-flare,gpt-image-2.5-sunburst';
}
env.FRAMEFILL_PLAYGROUND ??= '1';

const backend = run([...NODE_FLAGS, '--import', 'tsx', 'backend/platform/node.ts'], env, 'backend');
const [, origin] = await waitForLine(backend, /listening on (http\S+)/, 'backend');

const banner = [
  '',
  demo
    ? '  DEMO MODE — no OPENAI_API_KEY set: images come from the local stand-in upstream (test/fake-openai), not from OpenAI.'
    : '  Live mode — requests go to OpenAI with your OPENAI_API_KEY.',
  `  Backend:    ${origin}`,
  `  Playground: ${origin}/playground${demo ? '?token=demo-token' : ''}`,
  demo ? '  Access token for the panel: demo-token' : '  Access tokens: the secrets in FRAMEFILL_TOKENS',
  `  In Figma:   Plugins → Development → Import plugin from manifest… → ${path.join(root, 'manifest.json')}`,
  '  Ctrl-C stops everything.',
  '',
];
console.log(banner.join('\n'));
