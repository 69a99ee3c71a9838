// Test-only: a real, throwaway redis-server on a free loopback port, so the Redis stores are
// proven against real Redis semantics. Missing redis-server is a FAILURE, not a skip: CI installs
// it and a silently skipped suite would hide a broken store.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export interface RedisServer {
  url: string;
  port: number;
  /** a fresh client on the server (the caller closes it) */
  client(): Redis;
  stop(): Promise<void>;
}

const BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let failure: Error | undefined;
  child.once('error', (err: NodeJS.ErrnoException) => {
    failure = err.code === 'ENOENT'
      ? new Error(`redis-server not found (${BIN}): install it (apt-get install redis-server) — the Redis store tests need a real server`)
      : err;
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.once('exit', (code) => { failure ??= new Error(`redis-server exited early (code ${code}): ${stderr.trim()}`); });

  // Wait for PING: at most 100 tries × 50 ms.
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    for (let i = 0; ; i++) {
      if (failure) throw failure;
      try {
        if (probe.status !== 'ready') await probe.connect();
        if ((await probe.ping()) === 'PONG') break;
      } catch {
        probe.disconnect();
      }
      if (i >= 100) throw new Error(`redis-server did not answer PING on 127.0.0.1:${port} within 5 s`);
      await sleep(50);
    }
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  } finally {
    probe.disconnect();
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    client: () => {
      const c = new Redis({ port, host: '127.0.0.1' });
      c.on('error', () => {});
      return c;
    },
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      // SIGTERM normally ends it within milliseconds; do not let a wedged server hang afterAll.
      setTimeout(() => { child.kill('SIGKILL'); }, 2_000).unref();
    }),
  };
}
