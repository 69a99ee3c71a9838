// The backend alone in its own process, for measurements from outside (the fuzz test, the bench):
// its memory (/proc/<pid>/status) then counts the backend only, not the client or the fake.
// Configured from the environment like the real Node entry. Talks to its parent over IPC:
//   → {type:'ready', url, pid}          once listening
//   ← {type:'gc'}  → {type:'memory', …}  full GC (needs --expose-gc), then process.memoryUsage()
//   ← {type:'usage'} → {type:'memory', …} process.memoryUsage() as it is (no GC), for sampling
//   ← {type:'stop'}                      closes the server and exits
import { loadConfig } from '../../backend/config/load-config';
import { storeFromEnv } from '../../backend/platform/app-from-env';
import { createDiskSpill } from '../../backend/platform/disk-spill';
import { startServer } from '../../backend/test-helpers/start-server';

const { config } = loadConfig(process.env);
const quiet = process.env.FRAMEFILL_CHILD_QUIET === '1';
// The memory store as the Node entry builds it: results beyond its caps spill to a temp directory.
const store = await storeFromEnv({}, config, (dir) => createDiskSpill({ parent: dir, warn: (m) => process.stderr.write(`Warning: ${m}\n`) }));
const running = await startServer(config, { store, ...(quiet ? { logger: () => {} } : {}) });
const stop = (graceMs: number) => running.close(graceMs).then(() => store.close().catch(() => {}));

const send = (message: unknown) => process.send?.(message);
send({ type: 'ready', url: running.url, pid: process.pid });

const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (message: { type?: string }) => {
  if (message?.type === 'gc') {
    gc?.();
    gc?.(); // a second pass collects what the first one's finalizers released
    send({ type: 'memory', gcAvailable: gc !== undefined, ...process.memoryUsage() });
  } else if (message?.type === 'usage') {
    send({ type: 'memory', gcAvailable: gc !== undefined, ...process.memoryUsage() });
  } else if (message?.type === 'stop') {
    void stop(500).then(() => process.exit(0));
  }
});
// The parent died without saying stop: do not linger.
process.on('disconnect', () => void stop(0).then(() => process.exit(0)));
