// An upstream JSON success body read with a byte limit instead of `response.text()`: a broken or
// hostile upstream cannot make the backend buffer more than any valid answer to the request
// could be. The limit is pure (largestImagesResponseBytes), the reading below it.
import { LARGEST_OUTPUT, type PixelSize } from '../pricing';
import { upstreamResponseTooLarge } from '../errors';

/** Headroom over the largest valid response: PNG encoders, JSON spacing, fields yet to come. */
const BODY_LIMIT_MULTIPLE = 2;
/** JSON around the images: `created`, `usage`, size and format fields. */
const JSON_OVERHEAD_BYTES = 64 * 1024;

/** The worst-case base64 PNG of one image: 8-bit RGBA stored uncompressed (filter byte per row), plus chunk and zlib framing. */
function worstBase64Png(size: PixelSize): number {
  const raw = size.height * (1 + 4 * size.width);
  const png = Math.ceil(raw * 1.01) + 4096;
  return Math.ceil(png / 3) * 4;
}

/**
 * The most bytes an images response to this request may have: twice the largest valid one
 * (n images at the requested size as worst-case base64 PNG; `auto` → the largest size).
 */
export function largestImagesResponseBytes(n: number, size: string | undefined): number {
  const match = size ? /^(\d+)x(\d+)$/.exec(size) : null;
  const out = match ? { width: Number(match[1]), height: Number(match[2]) } : LARGEST_OUTPUT;
  return BODY_LIMIT_MULTIPLE * (Math.max(1, n) * worstBase64Png(out) + JSON_OVERHEAD_BYTES);
}

/**
 * The body as the chunks it arrived in, or a 502 upstream_response_too_large as soon as it
 * passes `maxBytes` (a Content-Length beyond it is refused before reading): what was read is
 * dropped, the rest never read and the connection let go.
 */
export async function readBytesWithin(response: Response, maxBytes: number): Promise<Uint8Array[]> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw upstreamResponseTooLarge(maxBytes);
  }
  const reader = response.body?.getReader();
  if (!reader) return [];
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    bytes += next.value.length;
    if (bytes > maxBytes) {
      chunks.length = 0;
      void reader.cancel().catch(() => {});
      throw upstreamResponseTooLarge(maxBytes);
    }
    chunks.push(next.value);
  }
  return chunks;
}

/** readBytesWithin, as text. */
export async function readTextWithin(response: Response, maxBytes: number): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for (const chunk of await readBytesWithin(response, maxBytes)) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}
