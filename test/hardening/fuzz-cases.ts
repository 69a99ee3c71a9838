// Hostile requests for the backend, generated from a seeded PRNG: every case is raw HTTP bytes
// plus what the test may accept in answer. Families cover the request line (methods, paths),
// headers (auth, framing, size), and bodies (JSON syntax and types, nesting, prototype keys,
// multipart structure, image bytes, size limits).
import { pngOf } from '../support/images';
import type { Rng } from './prng';
import { requestHead } from './raw-http';

export interface FuzzCase {
  id: number;
  family: string;
  /** what was done, short, for failure reports */
  label: string;
  request: Buffer | (() => AsyncIterable<Buffer>);
  /** HEAD: the response has no body */
  head?: boolean;
  /** malformed at the HTTP layer: Node's parser or the adapter may refuse it before the app (a 4xx JSON error without x-request-id) */
  protocol?: boolean;
  /** the server cannot tell the request is over (short body, long Content-Length): silence is fine */
  mayHang?: boolean;
  /** may happen to be a valid request: 2xx is fine */
  mayPass?: boolean;
  /** a valid request: it must succeed even in the middle of the fuzz */
  mustPass?: boolean;
  /** megabytes of body: runs in the narrow lane so concurrency does not decide memory */
  heavy?: boolean;
  timeoutMs?: number;
}

export interface CaseContext {
  port: number;
  token: string;
}

type Draft = Omit<FuzzCase, 'id' | 'family'>;
type Header = readonly [string, string | Buffer];

const GEN = '/v1/images/generations';
const EDIT = '/v1/images/edits';
const MB = 1024 * 1024;

const SMALL_PNG = pngOf(64, 64, 7);
/** Tiny WebP/GIF/BMP/etc. headers and other bytes that are not what their name claims. */
const WRONG_IMAGES: ReadonlyArray<readonly [string, Buffer]> = [
  ['gif', Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1')],
  ['bmp', Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)])],
  ['text', Buffer.from('this is not an image at all, just words')],
  ['html', Buffer.from('<html><script>alert(1)</script></html>')],
  ['svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')],
  ['empty', Buffer.alloc(0)],
  ['zeros', Buffer.alloc(4096)],
  ['png signature only', SMALL_PNG.subarray(0, 8)],
  ['png cut in IHDR', SMALL_PNG.subarray(0, 20)],
  ['jpeg SOI only', Buffer.from([0xff, 0xd8, 0xff])],
  ['jpeg SOI+EOI', Buffer.from([0xff, 0xd8, 0xff, 0xd9])],
  ['jpeg zero-length segment', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x00, 0xff, 0xc0])],
  ['riff not webp', Buffer.concat([Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt '), Buffer.alloc(24)])],
  ['webp bad chunk', Buffer.concat([Buffer.from('RIFF\x30\x00\x00\x00WEBPXXXX'), Buffer.alloc(30)])],
  ['exe', Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(60)])],
  ['pdf', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n', 'latin1')],
];

/** Multi-megabyte bodies are built once, on first use, and shared by every case that sends them. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
const TEN_MB_PROMPT_JSON = once(() => Buffer.from(`{"prompt":"${'a'.repeat(10 * MB)}"}`));
const OVER_1MB_PROMPT_JSON = once(() => Buffer.from(`{"prompt":"${'b'.repeat(MB)}"}`));
const HEAVY_BOUNDARY = '----fuzzheavy';
const partHead = (name: string, filename?: string) =>
  `--${HEAVY_BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"\r\nContent-Type: image/png` : ''}\r\n\r\n`;
const TEN_MB_PROMPT_FORM = once(() =>
  Buffer.concat([Buffer.from(partHead('prompt')), Buffer.alloc(10 * MB, 'p'), Buffer.from(`\r\n${partHead('image', 'a.png')}`), SMALL_PNG, Buffer.from(`\r\n--${HEAVY_BOUNDARY}--\r\n`)]),
);
const OVERSIZED_IMAGE_FORM = once(() =>
  Buffer.concat([Buffer.from(`${partHead('prompt')}x\r\n${partHead('image', 'a.png')}`), SMALL_PNG, Buffer.alloc(11 * MB), Buffer.from(`\r\n--${HEAVY_BOUNDARY}--\r\n`)]),
);

/** A PNG whose header lies about its size (the bytes after it are the real 64×64 image). */
function pngClaiming(width: number, height: number): Buffer {
  const png = Buffer.from(SMALL_PNG);
  png.writeUInt32BE(width >>> 0, 16);
  png.writeUInt32BE(height >>> 0, 20);
  return png;
}

const HOSTILE_VALUES: readonly string[] = [
  'null', 'true', 'false', '0', '-1', '-0', '1.5', '2', '10', '11', '1e308', '-1e308', '1e309', '-1e309', '9007199254740993',
  '4294967297', '1E+2', '0.0000001', '"NaN"', '"Infinity"', '"-Infinity"', '"1"', '"1e3"', '""', '" "', '"\\u0000"', '"\\ud800"',
  '"\\udfff\\ud800"', '[]', '[1]', '[null]', '{}', '{"$gt":""}', '{"__proto__":{"x":1}}', '"<script>alert(1)</script>"',
  '"../../../../etc/passwd"', '"%s%s%s%n"', '"${jndi:ldap://127.0.0.1/a}"', '"\\r\\nX-Injected: 1"', '"auto"', '"low"',
  '"b64_json"', '"url"', '"png"', '"gpt-image-2"', '"dall-e-3"', '"gpt-image-1"', '"1024x1024"', '"3840x2160"', '"4096x4096"',
  '"0x0"', '"-1024x1024"', '"1024x1024 "', '"1024×1024"', '"99999x99999"', '"1024x1024x1024"', '"NaNxNaN"', '"Infinityx1024"',
  '"1e3x1e3"', '"16x16"', '"1024X1024"', '"1024x1024\\n"', '"0016x0016"', '"00001024x01024"', '"3840x1280"', '"3856x1024"',
];
const FIELDS = ['prompt', 'n', 'size', 'quality', 'output_format', 'output_compression', 'background', 'moderation', 'partial_images', 'stream', 'user', 'model', 'response_format', 'input_fidelity'];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf'];

/** `count` cases, generated one at a time as they are pulled (so only those in flight are in memory). */
export function* generateCases(rng: Rng, ctx: CaseContext, count: number, firstId = 0): Generator<FuzzCase> {
  const host: Header = ['Host', `127.0.0.1:${ctx.port}`];
  const auth: Header = ['Authorization', `Bearer ${ctx.token}`];
  const close: Header = ['Connection', 'close'];
  const json: Header = ['Content-Type', 'application/json'];

  /** A whole request with a correct Content-Length unless headers already frame the body. */
  const request = (line: string | Buffer, headers: Header[], body: Buffer | string = Buffer.alloc(0)): Buffer => {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const framed = headers.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n));
    const all = framed ? headers : [...headers, ['Content-Length', String(bytes.length)] as Header];
    return Buffer.concat([requestHead(line, [host, close, ...all]), bytes]);
  };
  const post = (path: string, headers: Header[], body: Buffer | string) => request(`POST ${path} HTTP/1.1`, headers, body);

  const validGen = (): Record<string, unknown> => ({ prompt: rng.pick(['a lighthouse at dusk', 'Portrait of a barista, 85mm', '灯台と夕暮れ', 'x']), size: '1024x1024', quality: 'low' });

  const boundaryFor = () => `----fuzz${rng.int(0, 1e9)}`;
  interface Part { name: string | null; filename?: string; type?: string; body: Buffer | string; extraHeaders?: string }
  const multipart = (boundary: string, parts: Part[], closing = true): Buffer => {
    const chunks: Buffer[] = [];
    for (const p of parts) {
      const disposition = p.name === null ? 'form-data' : `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
      const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}${p.extraHeaders ?? ''}\r\n`;
      chunks.push(Buffer.from(head, 'latin1'), Buffer.isBuffer(p.body) ? p.body : Buffer.from(p.body, 'utf8'), Buffer.from('\r\n'));
    }
    if (closing) chunks.push(Buffer.from(`--${boundary}--\r\n`));
    return Buffer.concat(chunks);
  };
  const mpType = (boundary: string): Header => ['Content-Type', `multipart/form-data; boundary=${boundary}`];
  const validEditParts = (): Part[] => [
    { name: 'prompt', body: 'make it warmer' },
    { name: 'size', body: '1024x1024' },
    { name: 'quality', body: 'low' },
    { name: 'image[]', filename: 'ref.png', type: 'image/png', body: SMALL_PNG },
  ];

  /** chunked transfer of `total` bytes of `fill`, `size` bytes a chunk */
  const chunked = (head: Buffer, total: number, size: number, prefix = Buffer.alloc(0)) =>
    async function* body(): AsyncIterable<Buffer> {
      yield head;
      const block = Buffer.alloc(size, 'a');
      if (prefix.length) yield Buffer.concat([Buffer.from(`${prefix.length.toString(16)}\r\n`), prefix, Buffer.from('\r\n')]);
      for (let sent = 0; sent < total; sent += size) yield Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), block, Buffer.from('\r\n')]);
      yield Buffer.from('0\r\n\r\n');
    };

  const families: Record<string, () => Draft> = {
    'json-syntax': () => {
      const text = JSON.stringify(validGen());
      const mutations: Array<() => { body: Buffer | string; label: string; mayPass?: boolean }> = [
        () => { const at = rng.int(0, text.length - 1); return { body: text.slice(0, at), label: `truncated at ${at}` }; },
        () => { const at = rng.int(1, text.length - 2); const ch = rng.pick(['{', '}', '"', ',', ':', '[', '\\', '\u0000', 'x', ' ', '\n']); return { body: text.slice(0, at) + ch + text.slice(at), label: `inserted ${JSON.stringify(ch)} at ${at}`, mayPass: true }; },
        () => { const at = rng.int(0, text.length - 1); return { body: text.slice(0, at) + text.slice(at + 1), label: `deleted char ${at}`, mayPass: true }; },
        () => ({ body: text.replace(/}$/, ',}'), label: 'trailing comma' }),
        () => ({ body: text.replace(/"/g, "'"), label: 'single quotes' }),
        () => ({ body: text.replace(/"(\w+)":/g, '$1:'), label: 'unquoted keys' }),
        () => ({ body: `/* hi */${text}`, label: 'comment' }),
        () => ({ body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), label: 'UTF-8 BOM', mayPass: true }),
        () => ({ body: Buffer.concat([Buffer.from(text.slice(0, 12)), rng.bytes(rng.int(1, 32)), Buffer.from(text.slice(12))]), label: 'random bytes inside', mayPass: true }),
        () => ({ body: Buffer.from(text, 'utf16le'), label: 'UTF-16LE' }),
        () => ({ body: text + text, label: 'two objects' }),
        () => ({ body: '', label: 'empty body' }),
        () => ({ body: ' \n\t ', label: 'whitespace body' }),
        () => ({ body: rng.pick(['null', '[]', '42', '"prompt"', 'true', '[{"prompt":"x"}]', 'NaN', 'Infinity', '-', '{', '}', '{"prompt"}', '{"prompt":}', '{"prompt":"x",}']), label: 'not an object' }),
        () => ({ body: rng.bytes(rng.int(1, 2048)), label: 'random bytes', mayPass: false }),
      ];
      const m = rng.pick(mutations)();
      return { label: m.label, request: post(GEN, [auth, json], m.body), mayPass: m.mayPass };
    },

    'json-types': () => {
      const obj = JSON.stringify(validGen());
      const field = rng.pick(FIELDS);
      const value = rng.pick(HOSTILE_VALUES);
      const others = obj.slice(1, -1).split(',').filter((kv) => !kv.startsWith(`"${field}"`));
      const body = `{${[...others, `"${field}":${value}`].join(',')}}`;
      return { label: `${field}: ${value.slice(0, 40)}`, request: post(GEN, [auth, json], body), mayPass: true };
    },

    'json-deep': () => {
      const depth = rng.pick([64, 1000, 10_000, 100_000, 400_000]);
      const shape = rng.pick(['array', 'object', 'mixed']);
      const open = shape === 'array' ? '['.repeat(depth) : shape === 'object' ? '{"a":'.repeat(depth) : '[{"a":'.repeat(Math.ceil(depth / 2));
      const close = shape === 'array' ? ']'.repeat(depth) : shape === 'object' ? '}'.repeat(depth) : '}]'.repeat(Math.ceil(depth / 2));
      const inner = shape === 'object' ? '1' : '';
      const where = rng.pick(['prompt', 'top', 'extra', 'n']);
      const nested = `${open}${inner}${close}`;
      const body = where === 'top' ? nested : where === 'extra' ? `{"prompt":"x","deep":${nested}}` : `{"prompt":${where === 'prompt' ? nested : '"x"'}${where === 'n' ? `,"n":${nested}` : ''}}`;
      return { label: `${shape} depth ${depth} in ${where}`, request: post(GEN, [auth, json], body), heavy: body.length > 200_000 };
    },

    'json-proto': () => {
      const key = rng.pick(PROTO_KEYS);
      const value = rng.pick(['{"polluted":true}', '{"prototype":{"polluted":true}}', '"x"', '1', 'null', '[]']);
      const nested = rng.chance(0.3);
      const body = nested ? `{"prompt":"x","user":{"${key}":${value}}}` : `{"${key}":${value},"prompt":"x","size":"1024x1024","quality":"low"}`;
      return { label: `${nested ? 'nested ' : ''}${key}: ${value}`, request: post(GEN, [auth, json], body) };
    },

    'json-size': () => {
      const kind = rng.pick(['10MB declared', '10MB chunked', 'just over 1MB', '40k-char prompt', '32001 code points', '32000 emoji']);
      if (kind === '10MB declared') {
        return { label: kind, request: post(GEN, [auth, json], TEN_MB_PROMPT_JSON()), heavy: true, timeoutMs: 15_000 };
      }
      if (kind === '10MB chunked') {
        const head = requestHead(`POST ${GEN} HTTP/1.1`, [host, close, auth, json, ['Transfer-Encoding', 'chunked']]);
        return { label: kind, request: chunked(head, 10 * MB, 64 * 1024, Buffer.from('{"prompt":"')), heavy: true, timeoutMs: 15_000 };
      }
      if (kind === 'just over 1MB') return { label: kind, request: post(GEN, [auth, json], OVER_1MB_PROMPT_JSON()), heavy: true };
      if (kind === '40k-char prompt') return { label: kind, request: post(GEN, [auth, json], JSON.stringify({ prompt: 'c'.repeat(40_000) })) };
      if (kind === '32001 code points') return { label: kind, request: post(GEN, [auth, json], JSON.stringify({ prompt: 'é'.repeat(32_001) })) };
      // 32,000 code points is the backend's limit; in UTF-16 it is 64,000 units.
      return { label: kind, request: post(GEN, [auth, json], JSON.stringify({ prompt: '🦊'.repeat(32_000), size: '1024x1024', quality: 'low' })), mayPass: true };
    },

    'multipart-structure': () => {
      const b = boundaryFor();
      const parts = validEditParts();
      const kind = rng.pick(['truncated', 'mismatched boundary', 'no boundary', 'empty boundary', 'long boundary', 'quoted boundary', 'no closing', 'LF only', 'no name', 'duplicate prompt', 'image as text', 'prompt as file', 'nested multipart', 'garbage preamble', 'random bytes']);
      const whole = multipart(b, parts);
      switch (kind) {
        case 'truncated': {
          const at = rng.int(0, whole.length - 8);
          return { label: `truncated at ${at}/${whole.length}`, request: post(EDIT, [auth, mpType(b)], whole.subarray(0, at)) };
        }
        case 'mismatched boundary':
          return { label: kind, request: post(EDIT, [auth, mpType(`${b}x`)], whole) };
        case 'no boundary':
          return { label: kind, request: post(EDIT, [auth, ['Content-Type', 'multipart/form-data']], whole) };
        case 'empty boundary':
          return { label: kind, request: post(EDIT, [auth, ['Content-Type', 'multipart/form-data; boundary=']], whole) };
        case 'long boundary': {
          const long = 'L'.repeat(rng.pick([71, 200, 5000]));
          return { label: `boundary of ${long.length}`, request: post(EDIT, [auth, mpType(long)], multipart(long, parts)), mayPass: true };
        }
        case 'quoted boundary':
          return { label: kind, request: post(EDIT, [auth, ['Content-Type', `multipart/form-data; boundary="${b}"`]], whole), mayPass: true };
        case 'no closing':
          return { label: kind, request: post(EDIT, [auth, mpType(b)], multipart(b, parts, false)), mayPass: true };
        case 'LF only':
          return { label: kind, request: post(EDIT, [auth, mpType(b)], Buffer.from(whole.toString('latin1').replace(/\r\n/g, '\n'), 'latin1')), mayPass: true };
        case 'no name':
          return { label: kind, request: post(EDIT, [auth, mpType(b)], multipart(b, [...parts, { name: null, body: 'orphan' }])), mayPass: true };
        case 'duplicate prompt':
          return { label: kind, request: post(EDIT, [auth, mpType(b)], multipart(b, [...parts, { name: 'prompt', body: 'again' }])) };
        case 'image as text':
          return { label: kind, request: post(EDIT, [auth, mpType(b)], multipart(b, [{ name: 'prompt', body: 'x' }, { name: 'image', body: 'iVBORw0KGgo=' }])) };
        case 'prompt as file':
          return { label: kind, request: post(EDIT, [auth, mpType(b)], multipart(b, [{ name: 'prompt', filename: 'p.txt', type: 'text/plain', body: 'x' }, parts[3]!])) };
        case 'nested multipart':
          return { label: kind, request: post(EDIT, [auth, mpType(b)], multipart(b, [parts[0]!, { name: 'image', type: 'multipart/mixed; boundary=inner', filename: 'x.png', body: multipart('inner', [parts[3]!]) }])) };
        case 'garbage preamble':
          return { label: kind, request: post(EDIT, [auth, mpType(b)], Buffer.concat([rng.bytes(rng.int(1, 300)), Buffer.from('\r\n'), whole])), mayPass: true };
        default:
          return { label: kind, request: post(EDIT, [auth, mpType(b)], rng.bytes(rng.int(1, 4096))) };
      }
    },

    'multipart-parts': () => {
      const b = boundaryFor();
      const count = rng.pick([17, 100, 1000, 3000, 5000]);
      const kind = rng.pick(['text fields', 'same field', 'images', 'masks', 'empty parts']);
      const parts: Part[] = [{ name: 'prompt', body: 'x' }];
      for (let i = 0; i < count; i++) {
        if (kind === 'text fields') parts.push({ name: `f${i}`, body: 'v' });
        else if (kind === 'same field') parts.push({ name: 'quality', body: 'low' });
        else if (kind === 'images') parts.push({ name: 'image[]', filename: `${i}.png`, type: 'image/png', body: SMALL_PNG });
        else if (kind === 'masks') parts.push({ name: 'mask', filename: 'm.png', type: 'image/png', body: SMALL_PNG });
        else parts.push({ name: '', body: '' });
      }
      if (kind !== 'images') parts.push({ name: 'image', filename: 'a.png', type: 'image/png', body: SMALL_PNG });
      const body = multipart(b, parts);
      return { label: `${count} ${kind}`, request: post(EDIT, [auth, mpType(b)], body), heavy: body.length > MB };
    },

    'multipart-images': () => {
      const b = boundaryFor();
      const kind = rng.pick(['wrong magic', 'lying PNG header', 'odd filename', 'odd part type', 'mask mismatch', 'mask not png', 'oversized image', '10MB prompt', 'prototype field']);
      const prompt: Part = { name: 'prompt', body: 'x' };
      switch (kind) {
        case 'wrong magic': {
          const [what, bytes] = rng.pick(WRONG_IMAGES);
          return { label: `image is ${what}`, request: post(EDIT, [auth, mpType(b)], multipart(b, [prompt, { name: rng.pick(['image', 'image[]']), filename: 'photo.png', type: 'image/png', body: bytes }])) };
        }
        case 'lying PNG header': {
          const [w, h] = rng.pick([[0, 0], [0xffffffff, 0xffffffff], [1, 100000], [65536, 65536], [0x7fffffff, 1], [3840, 2160]] as const);
          return { label: `PNG claims ${w}x${h}`, request: post(EDIT, [auth, mpType(b)], multipart(b, [prompt, { name: 'image', filename: 'a.png', type: 'image/png', body: pngClaiming(w, h) }])), mayPass: true };
        }
        case 'odd filename': {
          const name = rng.pick(['../../../etc/passwd', 'a\u0000b.png', 'x'.repeat(10_000), '名前.png', '"quoted".png', 'a;b=c.png', '', 'CON', '.png']);
          return { label: `filename ${JSON.stringify(name.slice(0, 30))}`, request: post(EDIT, [auth, mpType(b)], multipart(b, [prompt, { name: 'image', filename: name, type: 'image/png', body: SMALL_PNG }])), mayPass: true };
        }
        case 'odd part type': {
          const type = rng.pick(['text/html', 'application/x-msdownload', '', 'image/png; charset=utf-8', 'image/svg+xml', '\u00ff\u00fe']);
          return { label: `part type ${JSON.stringify(type)}`, request: post(EDIT, [auth, mpType(b)], multipart(b, [prompt, { name: 'image', filename: 'a.png', type, body: SMALL_PNG }])), mayPass: true };
        }
        case 'mask mismatch':
          return { label: kind, request: post(EDIT, [auth, mpType(b)], multipart(b, [prompt, { name: 'image', filename: 'a.png', type: 'image/png', body: SMALL_PNG }, { name: 'mask', filename: 'm.png', type: 'image/png', body: pngOf(32, 32, 1) }])) };
        case 'mask not png':
          return { label: kind, request: post(EDIT, [auth, mpType(b)], multipart(b, [prompt, { name: 'image', filename: 'a.png', type: 'image/png', body: SMALL_PNG }, { name: 'mask', filename: 'm.png', type: 'image/png', body: WRONG_IMAGES[0]![1] }])) };
        case 'oversized image':
          return { label: kind, request: post(EDIT, [auth, mpType(HEAVY_BOUNDARY)], OVERSIZED_IMAGE_FORM()), heavy: true, timeoutMs: 15_000 };
        case '10MB prompt':
          return { label: kind, request: post(EDIT, [auth, mpType(HEAVY_BOUNDARY)], TEN_MB_PROMPT_FORM()), heavy: true, timeoutMs: 15_000 };
        default: {
          const key = rng.pick(PROTO_KEYS);
          return { label: `field ${key}`, request: post(EDIT, [auth, mpType(b)], multipart(b, [prompt, { name: key, body: '{"polluted":true}' }, { name: 'image', filename: 'a.png', type: 'image/png', body: SMALL_PNG }])) };
        }
      }
    },

    'content-type': () => {
      const kind = rng.pick(['none', 'text/plain', 'form-urlencoded', 'utf-16 json', 'multipart to generations', 'json to edits', '+json', 'two types', 'garbage']);
      const body = JSON.stringify(validGen());
      switch (kind) {
        case 'none': return { label: kind, request: post(GEN, [auth], body) };
        case 'text/plain': return { label: kind, request: post(GEN, [auth, ['Content-Type', 'text/plain']], body) };
        case 'form-urlencoded': return { label: kind, request: post(GEN, [auth, ['Content-Type', 'application/x-www-form-urlencoded']], 'prompt=x&size=1024x1024') };
        case 'utf-16 json': return { label: kind, request: post(GEN, [auth, ['Content-Type', 'application/json; charset=utf-16']], Buffer.from(body, 'utf16le')) };
        case 'multipart to generations': { const b = boundaryFor(); return { label: kind, request: post(GEN, [auth, mpType(b)], multipart(b, validEditParts())) }; }
        case 'json to edits': return { label: kind, request: post(EDIT, [auth, json], body) };
        case '+json': return { label: kind, request: post(GEN, [auth, ['Content-Type', 'application/vnd.framefill+json']], body), mayPass: true };
        case 'two types': return { label: kind, request: post(GEN, [auth, json, ['Content-Type', 'multipart/form-data; boundary=x']], body) };
        default: return { label: kind, request: post(GEN, [auth, ['Content-Type', Buffer.from(rng.bytes(20).toString('latin1').replace(/[\r\n\0]/g, 'x'), 'latin1')]], body), mayPass: false, protocol: true };
      }
    },

    auth: () => {
      const body = JSON.stringify(validGen());
      const wrong = `${ctx.token.slice(0, -1)}${ctx.token.endsWith('0') ? '1' : '0'}`;
      const variants: Array<[string, Header[], { mayPass?: boolean; protocol?: boolean }?]> = [
        ['none', []],
        ['empty', [['Authorization', '']]],
        ['Bearer only', [['Authorization', 'Bearer']]],
        ['Bearer space', [['Authorization', 'Bearer ']]],
        ['lowercase bearer', [['Authorization', `bearer ${ctx.token}`]], { mayPass: true }],
        ['Basic', [['Authorization', `Basic ${Buffer.from(`fuzz:${ctx.token}`).toString('base64')}`]]],
        ['token + extra', [['Authorization', `Bearer ${ctx.token} extra`]]],
        ['two headers', [auth, auth]],
        ['two tokens, one header', [['Authorization', `Bearer ${ctx.token}, Bearer ${ctx.token}`]]],
        ['valid then wrong', [auth, ['Authorization', `Bearer ${wrong}`]]],
        ['off by one', [['Authorization', `Bearer ${wrong}`]]],
        ['tab separator', [['Authorization', `Bearer\t${ctx.token}`]]],
        ['non-ASCII UTF-8', [['Authorization', Buffer.from(`Bearer ${ctx.token}é✓`, 'utf8')]]],
        ['latin1 bytes', [['Authorization', Buffer.from([...Buffer.from('Bearer '), 0xff, 0xfe, 0x80, 0xa0])]]],
        ['8 KB token', [['Authorization', `Bearer ${'k'.repeat(8 * 1024)}`]]],
        ['14 KB token', [['Authorization', `Bearer ${'k'.repeat(14 * 1024)}`]]],
        ['64 KB token', [['Authorization', `Bearer ${'k'.repeat(64 * 1024)}`]], { protocol: true }],
        ['NUL in token', [['Authorization', Buffer.from(`Bearer ${ctx.token}\0x`)]], { protocol: true }],
        ['Token scheme', [['Authorization', `Token ${ctx.token}`]]],
        ['upper-case name', [['AUTHORIZATION', `Bearer ${ctx.token}`]], { mayPass: true }],
        ['padded', [['Authorization', `   Bearer ${ctx.token}   `]], { mayPass: true }],
        ['x-api-key instead', [['X-Api-Key', ctx.token]]],
        ['key in query', []],
      ];
      const [label, headers, flags] = rng.pick(variants);
      const path = label === 'key in query' ? `${GEN}?api_key=${ctx.token}` : GEN;
      return { label, request: post(path, [...headers, json], body), ...flags };
    },

    path: () => {
      const body = JSON.stringify(validGen());
      const variants: Array<[string, { mayPass?: boolean; protocol?: boolean }?]> = [
        ['/v1/../v1/images/generations', { mayPass: true }],
        ['/v1/images/edits/../generations', { mayPass: true }],
        ['/v1/%2e%2e/v1/images/generations', { mayPass: true }],
        ['/%2e%2e/%2e%2e/v1/images/generations', { mayPass: true }],
        ['/v1/images/./generations', { mayPass: true }],
        ['//v1/images/generations'],
        ['/v1//images/generations'],
        ['/v1/images/generations/'],
        ['/V1/IMAGES/GENERATIONS'],
        ['/v1/images/generations?x=1&x=2&__proto__[a]=1', { mayPass: true }],
        ['/v1/images%2fgenerations'],
        ['/v1/images/generations%00'],
        ['/v1/images/generations%'],
        ['/v1/images/generations%zz'],
        ['/v1/images/generations;x=1'],
        ['/v1/images/generations\\', { protocol: true }],
        ['/v1\\images\\generations', { protocol: true }],
        ['http://127.0.0.1/v1/images/generations', { mayPass: true }],
        ['http://evil.example/v1/images/generations', { mayPass: true }],
        ['http://[::1:99999/v1/images/generations', { protocol: true }],
        ['*', { protocol: true }],
        [`/${'a'.repeat(8000)}`],
        [`/v1/${'../'.repeat(2000)}v1/images/generations`, { mayPass: true }],
        [`/${'b'.repeat(20_000)}`, { protocol: true }],
        ['/v1/images/gen\0erations', { protocol: true }],
        ['/v1/images/générations', { protocol: true }],
        ['/v1/images/generations#frag', { protocol: true, mayPass: true }],
        ['/v1/usage/../images/generations', { mayPass: true }],
        ['/healthz/..', { mayPass: true }],
        ['/.env'],
        ['/v1/results/../../etc/passwd'],
      ];
      const [path, flags] = rng.pick(variants);
      const line = Buffer.concat([Buffer.from('POST ', 'latin1'), Buffer.from(path, 'utf8'), Buffer.from(' HTTP/1.1', 'latin1')]);
      return { label: path.length > 60 ? `${path.slice(0, 40)}… (${path.length})` : JSON.stringify(path), request: request(line, [auth, json], body), ...flags };
    },

    method: () => {
      const path = rng.pick([GEN, EDIT, '/v1/usage', '/healthz', '/nope']);
      const variants: Array<[string, { mayPass?: boolean; protocol?: boolean; head?: boolean; mayHang?: boolean }?]> = [
        ['GET', { mayPass: true }], ['PUT'], ['PATCH'], ['DELETE'], ['PROPFIND'], ['MKCOL'], ['COPY'], ['MOVE'], ['LOCK'], ['UNLOCK'],
        ['SEARCH'], ['PURGE'], ['REPORT'], ['TRACE'], ['OPTIONS', { mayPass: true }], ['HEAD', { head: true, mayPass: true }],
        ['POST', { mayPass: true }],
        ['TRACK', { protocol: true }], ['FOO', { protocol: true }], ['post', { protocol: true }], ['G\u00c9T', { protocol: true }],
        ['CONNECT', { protocol: true, mayHang: true }],
      ];
      const [method, flags] = rng.pick(variants);
      const body = method === 'GET' || method === 'HEAD' ? '' : JSON.stringify(validGen());
      return { label: `${method} ${path}`, request: request(`${method} ${path} HTTP/1.1`, [auth, json], body), ...flags };
    },

    headers: () => {
      const body = JSON.stringify(validGen());
      const bytes = Buffer.byteLength(body); // the prompt may be multi-byte UTF-8
      const kind = rng.pick(['many headers', '12 KB header', '20 KB header', 'obs-fold', 'space in name', 'no host', 'odd host', 'CL + TE', 'CL negative', 'CL not a number', 'CL twice', 'CL too short', 'CL too long', 'bad chunk size', 'chunk too long', 'TE gzip', 'Expect odd', 'Expect 100', 'HTTP/1.0', 'HTTP/9.9', 'bare LF', 'no header end', 'content-encoding gzip', 'huge cookie', 'x-forwarded-for spoof']);
      const line = `POST ${GEN} HTTP/1.1`;
      switch (kind) {
        case 'many headers': {
          const n = rng.pick([100, 500, 1000, 1999]);
          return { label: `${n} headers`, request: request(line, [auth, json, ...Array.from({ length: n }, (_, i): Header => [`X-F${i}`, 'v'])], body), mayPass: true };
        }
        case '12 KB header': return { label: kind, request: request(line, [auth, json, ['X-Big', 'h'.repeat(12 * 1024)]], body), mayPass: true };
        case '20 KB header': return { label: kind, request: request(line, [auth, json, ['X-Big', 'h'.repeat(20 * 1024)]], body), protocol: true };
        case 'obs-fold': return { label: kind, request: request(line, [auth, json, ['X-Fold', 'a\r\n b']], body), protocol: true };
        case 'space in name': return { label: kind, request: request(line, [auth, json, ['X Bad', 'v']], body), protocol: true };
        case 'no host': return { label: kind, request: Buffer.concat([requestHead(line, [close, auth, json, ['Content-Length', String(bytes)]]), Buffer.from(body)]), protocol: true };
        case 'odd host': {
          const value = rng.pick(['', 'a b', 'evil.example', '127.0.0.1:99999', '[::1', 'x'.repeat(2000), 'ex\u00e4mple.com']);
          return { label: `Host ${JSON.stringify(value.slice(0, 20))}`, request: Buffer.concat([requestHead(line, [['Host', value], close, auth, json, ['Content-Length', String(bytes)]]), Buffer.from(body)]), protocol: true, mayPass: true };
        }
        case 'CL + TE': return { label: kind, request: request(line, [auth, json, ['Content-Length', String(bytes)], ['Transfer-Encoding', 'chunked']], `${bytes.toString(16)}\r\n${body}\r\n0\r\n\r\n`), protocol: true };
        case 'CL negative': return { label: kind, request: request(line, [auth, json, ['Content-Length', '-1']], body), protocol: true };
        case 'CL not a number': return { label: kind, request: request(line, [auth, json, ['Content-Length', rng.pick(['abc', '1e3', '0x10', '99999999999999999999999', ' ', '1.5'])]], body), protocol: true, mayHang: true, timeoutMs: 500 };
        case 'CL twice': return { label: kind, request: request(line, [auth, json, ['Content-Length', String(bytes)], ['Content-Length', String(bytes + 1)]], body), protocol: true };
        case 'CL too short': return { label: kind, request: request(line, [auth, json, ['Content-Length', String(rng.int(0, bytes - 1))]], body), protocol: true };
        case 'CL too long': return { label: kind, request: request(line, [auth, json, ['Content-Length', String(bytes + rng.int(1, 1000))]], body), mayHang: true, timeoutMs: 400 };
        case 'bad chunk size': return { label: kind, request: request(line, [auth, json, ['Transfer-Encoding', 'chunked']], `zz\r\n${body}\r\n0\r\n\r\n`), protocol: true };
        case 'chunk too long': return { label: kind, request: request(line, [auth, json, ['Transfer-Encoding', 'chunked']], `${(bytes + 50).toString(16)}\r\n${body}\r\n0\r\n\r\n`), protocol: true, mayHang: true, timeoutMs: 400 };
        case 'TE gzip': return { label: kind, request: request(line, [auth, json, ['Transfer-Encoding', 'gzip']], body), protocol: true };
        case 'Expect odd': return { label: kind, request: request(line, [auth, json, ['Expect', 'teapot']], body), protocol: true };
        case 'Expect 100': return { label: kind, request: request(line, [auth, json, ['Expect', '100-continue']], body), mayPass: true };
        case 'HTTP/1.0': return { label: kind, request: Buffer.concat([requestHead(`POST ${GEN} HTTP/1.0`, [host, auth, json, ['Content-Length', String(bytes)]]), Buffer.from(body)]), mayPass: true };
        case 'HTTP/9.9': return { label: kind, request: request(`POST ${GEN} HTTP/9.9`, [auth, json], body), protocol: true };
        case 'bare LF': return { label: kind, request: Buffer.from(`POST ${GEN} HTTP/1.1\nHost: 127.0.0.1\nConnection: close\nAuthorization: Bearer ${ctx.token}\nContent-Type: application/json\nContent-Length: ${bytes}\n\n${body}`), protocol: true, mayPass: true };
        case 'no header end': return { label: kind, request: Buffer.from(`POST ${GEN} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${ctx.token}\r\n`), mayHang: true, protocol: true, timeoutMs: 400 };
        case 'content-encoding gzip': return { label: kind, request: request(line, [auth, json, ['Content-Encoding', 'gzip']], body), mayPass: true };
        case 'huge cookie': return { label: kind, request: request(line, [auth, json, ['Cookie', `a=${'c'.repeat(15 * 1024)}`]], body), mayPass: true };
        default: return { label: kind, request: request(line, [auth, json, ['X-Forwarded-For', '127.0.0.1, 10.0.0.1'], ['X-Real-IP', '::1'], ['Forwarded', 'for=evil']], body), mayPass: true };
      }
    },

    valid: () => {
      const kind = rng.pick(['generation', 'stream', 'edit', 'healthz', 'usage']);
      if (kind === 'healthz') return { label: kind, request: request('GET /healthz HTTP/1.1', []), mustPass: true };
      if (kind === 'usage') return { label: kind, request: request('GET /v1/usage HTTP/1.1', [auth]), mustPass: true };
      if (kind === 'edit') {
        const b = boundaryFor();
        return { label: kind, request: post(EDIT, [auth, mpType(b)], multipart(b, validEditParts())), mustPass: true };
      }
      const stream = kind === 'stream';
      return { label: kind, request: post(GEN, [auth, json], JSON.stringify({ ...validGen(), ...(stream ? { stream: true, partial_images: rng.int(0, 2) } : {}) })), mustPass: true };
    },
  };

  const names = Object.keys(families);
  for (let i = 0; i < count; i++) {
    // Round-robin over families so every run covers each one; the PRNG picks the details.
    const family = names[i % names.length]!;
    yield { id: firstId + i, family, ...families[family]!() };
  }
}
