// The benchmark's HTTP client: plain node:http with an explicit keep-alive agent, so the client
// never caps concurrency behind our back and both sides of an A/B run use the same code.
import http from 'node:http';

export interface Exchange {
  status: number;
  /** the Retry-After header, when there was one */
  retryAfter?: string;
  body: Buffer;
  /** request start to last response byte */
  ms: number;
}

export function keepAliveAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

export function post(url: string, headers: Record<string, string>, body: Buffer, agent: http.Agent, timeoutMs = 60_000): Promise<Exchange> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      const retryAfter = res.headers['retry-after'];
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ...(retryAfter === undefined ? {} : { retryAfter }), body: Buffer.concat(chunks), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export interface StreamOutcome {
  status: number;
  /** `type` of each SSE event, in order */
  events: string[];
  bytes: number;
  ms: number;
  error: string | null;
}

/** POSTs and reads a text/event-stream to its end; never rejects. */
export function postStream(url: string, headers: Record<string, string>, body: Buffer, agent: http.Agent, timeoutMs: number): Promise<StreamOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const events: string[] = [];
    let bytes = 0;
    let status = 0;
    let settled = false;
    const done = (error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, events, bytes, ms: performance.now() - started, error });
    };
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      status = res.statusCode ?? 0;
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        bytes += chunk.length;
        pending += chunk;
        for (let end = pending.indexOf('\n\n'); end >= 0; end = pending.indexOf('\n\n')) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
          if (!data) continue; // keep-alive comment
          try {
            events.push(String((JSON.parse(data) as { type?: unknown }).type));
          } catch {
            events.push('unparseable');
          }
        }
      });
      res.on('end', () => done(null));
      res.on('error', (e) => done(e.message));
    });
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (e) => done(e.message));
    req.end(body);
  });
}
