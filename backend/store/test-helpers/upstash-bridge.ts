// Test-only: a tiny HTTP server speaking Upstash's REST protocol (POST a JSON array command,
// Bearer token, {result} / {error}) in front of a real redis-server, so UpstashStore is proven
// against real Redis semantics rather than a hand-written fake of them.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';

export interface UpstashBridge {
  url: string;
  token: string;
  /** command names received, in order (e.g. to see EVALSHA vs EVAL) */
  commands: string[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startUpstashBridge(redis: Redis, token = 'test-upstash-token'): Promise<UpstashBridge> {
  const commands: string[] = [];
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      if (req.headers.authorization !== `Bearer ${token}`) return reply(401, { error: 'Unauthorized' });
      if (req.method !== 'POST') return reply(405, { error: 'ERR only POST is supported by this bridge' });
      let command: unknown;
      try {
        command = JSON.parse(await readBody(req));
      } catch {
        return reply(400, { error: 'ERR failed to parse command' });
      }
      if (!Array.isArray(command) || command.length === 0 || !command.every((a) => typeof a === 'string' || typeof a === 'number')) {
        return reply(400, { error: 'ERR command must be a non-empty JSON array of strings and numbers' });
      }
      const [name, ...args] = command as (string | number)[];
      commands.push(String(name).toUpperCase());
      try {
        reply(200, { result: await redis.call(String(name), ...args) });
      } catch (err) {
        reply(400, { error: err instanceof Error ? err.message : String(err) });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    commands,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
