// Reading request bodies: the right content type, then JSON or multipart, with clear 4xx errors.
// Size limits are enforced before this, while the body streams in (bodyLimit in app.ts).
import { HttpError, invalidRequest } from '../../errors';
import { clientGone } from '../../upstream/to-http-error';
import { boundaryOf, MultipartError, parseMultipart, type FormPart } from '../../validation/multipart';

/**
 * A body that could not be read because the client hung up (its connection closed mid-upload)
 * is a 499, not a server error: nobody is left to answer, and the log must not show a 5xx.
 */
export function clientHungUp(request: Request, err: unknown): boolean {
  return request.signal.aborted || (err as { code?: unknown } | null)?.code === 'ECONNRESET';
}

function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

const unsupported = (expected: string, got: string) =>
  new HttpError(415, `Send this request as ${expected} (Content-Type was ${got ? `'${got}'` : 'missing'}).`, {
    code: 'unsupported_content_type',
  });

export async function readJsonBody(request: Request): Promise<unknown> {
  const type = mediaType(request.headers.get('content-type'));
  if (type !== 'application/json' && !type.endsWith('+json')) throw unsupported('JSON (Content-Type: application/json)', type);
  let text: string;
  try {
    text = await request.text();
  } catch (err) {
    throw clientHungUp(request, err) ? clientGone() : err;
  }
  if (text.trim() === '') throw invalidRequest('The request body is empty; send a JSON object with at least a prompt.', null, 'invalid_json');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidRequest('The request body is not valid JSON. Check for trailing commas, unquoted names or a cut-off body.', null, 'invalid_json');
  }
}

/**
 * The whole body in one buffer. With a Content-Length (the usual case; bodyLimit has already held
 * it to the limit) each chunk is copied in as it arrives and dropped at once, so no list of
 * chunks outlives a garbage collection while the upload is still coming in.
 */
async function readBytes(request: Request): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isSafeInteger(declared) && declared >= 0 && !request.headers.has('transfer-encoding')) {
    const bytes = new Uint8Array(declared);
    let at = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.byteLength > declared) throw new MultipartError('it is longer than its Content-Length');
      bytes.set(value, at);
      at += value.byteLength;
    }
    return at === declared ? bytes : bytes.subarray(0, at);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

const unreadable = (why: string) =>
  invalidRequest(`The multipart body could not be read: ${why}. Send the images and fields as multipart/form-data.`, null, 'invalid_multipart');

/**
 * The parts of a multipart/form-data body. Its files are views into the one buffer the body was
 * read into: nothing is copied again to check, hash or forward them (validation/multipart.ts).
 */
export async function readMultipartBody(request: Request): Promise<FormPart[]> {
  const contentType = request.headers.get('content-type');
  const type = mediaType(contentType);
  if (type !== 'multipart/form-data') throw unsupported('multipart/form-data with the images as files', type);
  const boundary = boundaryOf(contentType ?? '');
  if (boundary === null) throw unreadable('its Content-Type has no usable boundary parameter');
  let bytes: Uint8Array;
  try {
    bytes = await readBytes(request);
  } catch (err) {
    if (clientHungUp(request, err)) throw clientGone();
    throw unreadable(err instanceof MultipartError ? err.message : 'it was cut off');
  }
  try {
    return parseMultipart(bytes, boundary);
  } catch (err) {
    if (err instanceof MultipartError) throw unreadable(err.message);
    throw err;
  }
}
