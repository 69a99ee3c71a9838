// A minimal OpenAI images upstream on 127.0.0.1 for tests that need what the fake OpenAI does not
// (yet) know — the 2.5 family, transparent gpt-image-2 — and to see every parameter the backend
// sends: it records each request's fields (JSON or multipart text) and answers any valid-looking
// call with n tiny PNGs and a `usage` whose output tokens the test chooses per quality.
import { createServer } from 'node:http';
import { listenOnLoopback } from '../../test/support/loopback-server';
import { pngOf } from '../../test/support/images';

export interface StubRequest {
  path: string;
  authorization: string | undefined;
  /** text fields as received: JSON values, or multipart strings */
  fields: Record<string, unknown>;
  /** multipart file field names */
  files: string[];
}

export interface StubUpstream {
  /** base URL including /v1 */
  url: string;
  requests: StubRequest[];
  /** output tokens per image by the quality the response reports (default 1000) */
  outputTokens: Record<string, number>;
  close(): Promise<void>;
}

const IMAGE_B64 = pngOf(16, 16).toString('base64');

export async function startStubUpstream(): Promise<StubUpstream> {
  const requests: StubRequest[] = [];
  const outputTokens: Record<string, number> = {};
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const type = req.headers['content-type'] ?? '';
        const fields: Record<string, unknown> = {};
        const files: string[] = [];
        if (type.startsWith('multipart/form-data')) {
          const form = await new Request('http://stub/', { method: 'POST', headers: { 'content-type': type }, body }).formData();
          for (const [name, value] of form.entries()) {
            if (typeof value === 'string') fields[name] = value;
            else files.push(name);
          }
        } else {
          Object.assign(fields, JSON.parse(body.toString('utf8')) as Record<string, unknown>);
        }
        requests.push({ path: req.url ?? '', authorization: req.headers.authorization, fields, files });
        const n = Number(fields.n ?? 1);
        const quality = typeof fields.quality === 'string' && fields.quality !== 'auto' ? fields.quality : 'high';
        const size = typeof fields.size === 'string' && fields.size !== 'auto' ? fields.size : '1024x1024';
        const out = outputTokens[quality] ?? 1000;
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `stub_${requests.length}` });
        res.end(
          JSON.stringify({
            created: 1_790_000_000,
            background: fields.background ?? 'opaque',
            output_format: fields.output_format ?? 'png',
            quality,
            size,
            data: Array.from({ length: n }, () => ({ b64_json: IMAGE_B64 })),
            usage: { input_tokens: 50, input_tokens_details: { text_tokens: 50, image_tokens: 0 }, output_tokens: out * n, total_tokens: 50 + out * n },
          }),
        );
      })();
    });
  });
  const loopback = await listenOnLoopback(server);
  return { url: loopback.url, requests, outputTokens, close: loopback.close };
}
