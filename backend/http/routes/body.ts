// Reading request bodies: the right content type, then JSON or multipart, with clear 4xx errors.
// Size limits are enforced before this, while the body streams in (bodyLimit in app.ts).
import { clientGone, emptyJsonBody, invalidJsonBody, invalidMultipartBody, unsupportedContentType } from '../../errors';

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

export async function readMultipartBody(request: Request): Promise<FormData> {
  const type = mediaType(request.headers.get('content-type'));
  if (type !== 'multipart/form-data') throw unsupportedContentType('multipart/form-data with the images as files', type);
  try {
    return await request.formData();
  } catch (err) {
    if (clientHungUp(request, err)) throw clientGone(err);
    throw invalidMultipartBody(err);
  }
}
