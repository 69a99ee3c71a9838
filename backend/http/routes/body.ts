// Reading request bodies: the right content type, then JSON or multipart, with clear 4xx errors.
// Size limits are enforced before this, while the body streams in (bodyLimit in app.ts).
import { clientGone, emptyJsonBody, invalidJsonBody, invalidMultipartBody, unsupportedContentType } from '../../errors';
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

export async function readJsonBody(request: Request): Promise<unknown> {
  const type = mediaType(request.headers.get('content-type'));
  if (type !== 'application/json' && !type.endsWith('+json')) throw unsupportedContentType('JSON (Content-Type: application/json)', type);
  let text: string;
  try {
    text = await request.text();
  } catch (err) {
    throw clientHungUp(request, err) ? clientGone(err) : err;
  }
  if (text.trim() === '') throw emptyJsonBody();
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw invalidJsonBody(err);
  }
}

/**
 * The whole body in one buffer, read in one call: on Node, @hono/node-server reads the socket
 * straight into it (no web stream, no copy per chunk) as long as nothing touched `request.body`
 * before (bodyLimit leaves a body within its Content-Length alone); elsewhere it is the
 * platform's own arrayBuffer().
 */
async function readBytes(request: Request): Promise<Uint8Array> {
  return new Uint8Array(await request.arrayBuffer());
}

/**
 * The parts of a multipart/form-data body. Its files are views into the one buffer the body was
 * read into: nothing is copied again to check, hash or forward them (validation/multipart.ts).
 */
export async function readMultipartBody(request: Request): Promise<FormPart[]> {
  const contentType = request.headers.get('content-type');
  const type = mediaType(contentType);
  if (type !== 'multipart/form-data') throw unsupportedContentType('multipart/form-data with the images as files', type);
  const boundary = boundaryOf(contentType ?? '');
  if (boundary === null) throw invalidMultipartBody('its Content-Type has no usable boundary parameter');
  let bytes: Uint8Array;
  try {
    bytes = await readBytes(request);
  } catch (err) {
    if (clientHungUp(request, err)) throw clientGone(err);
    throw invalidMultipartBody(err instanceof MultipartError ? err.message : 'it was cut off', err);
  }
  try {
    return parseMultipart(bytes, boundary);
  } catch (err) {
    if (err instanceof MultipartError) throw invalidMultipartBody(err.message, err);
    throw err;
  }
}
