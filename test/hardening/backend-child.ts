// The backend alone in its own process, for measurements from outside (the fuzz test, the bench):
// its memory (/proc/<pid>/status) then counts the backend only, not the client or the fake.
// Configured from the environment like the real Node entry. Talks to its parent over IPC:
//   → {type:'ready', url, pid}          once listening
//   ← {type:'gc'}  → {type:'memory', …}  full GC (needs --expose-gc), then process.memoryUsage()
//   ← {type:'usage'} → {type:'memory', …} process.memoryUsage() as it is (no GC), for sampling
//   ← {type:'stop'}                      closes the server and exits
import { loadConfig } from '../../backend/config/load-config';
import { startServer } from '../../backend/test-helpers/start-server';

const { config } = loadConfig(process.env);
const quiet = process.env.FRAMEFILL_CHILD_QUIET === '1';
const running = await startServer(config, quiet ? { logger: () => {} } : {});

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
    void running.close(500).then(() => process.exit(0));
  }
});
// The parent died without saying stop: do not linger.
process.on('disconnect', () => void running.close(0).then(() => process.exit(0)));
