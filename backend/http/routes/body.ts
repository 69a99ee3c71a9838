// Reading request bodies: the right content type, then JSON or multipart, with clear 4xx errors.
// Size limits are enforced before this, while the body streams in (bodyLimit in app.ts).
import { HttpError, invalidRequest } from '../../errors';
import { clientGone } from '../../upstream/to-http-error';

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

export async function readMultipartBody(request: Request): Promise<FormData> {
  const type = mediaType(request.headers.get('content-type'));
  if (type !== 'multipart/form-data') throw unsupported('multipart/form-data with the images as files', type);
  try {
    return await request.formData();
  } catch (err) {
    if (clientHungUp(request, err)) throw clientGone();
    throw invalidRequest('The multipart body could not be read (malformed or cut off). Send the images and fields as multipart/form-data.', null, 'invalid_multipart');
  }
}
