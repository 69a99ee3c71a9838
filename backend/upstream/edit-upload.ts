// The edit request OpenAI receives: one multipart body assembled from the validated fields and
// the uploaded files' bytes as the client sent them (views of its request body), copied once
// into one buffer. Not the SDK's form builder: `toFile` + FormData copied every image twice more
// and streamed it out of Blobs in small pieces; one buffer goes out in one write, with a
// Content-Length. The SDK still makes the call — auth, retries by retrying-call.ts (a buffer can be sent again),
// timeouts and APIError are the same as for generations. Web-standard, so it runs on Workers.
import type { UpstreamCall } from './image-call';
import type { UpstreamClient } from './client';
import { offerPlainBody } from './stream-fallback';
import { answerBounds, withoutStreamFields } from './stream-refusal';

export interface UploadFile {
  /** the form field: image, image[] or mask */
  field: string;
  bytes: Uint8Array;
  /** the name OpenAI sees, e.g. image-1.png */
  filename: string;
  /** the type OpenAI sees, e.g. image/png */
  type: string;
}

/** The text fields, e.g. the validated EditParams: strings, numbers and booleans; undefined is left out. */
export type TextFields = object;

export interface MultipartBody {
  body: Blob;
  contentType: string;
}

function textEntries(fields: TextFields): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(fields) as Array<[string, unknown]>) {
    if (value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new TypeError(`edit field ${name} is not text`);
    out.push([name, String(value)]);
  }
  return out;
}

/** Header values are ours (field names, image-1.png); escaped as browsers do all the same. */
const quoted = (value: string) => `"${value.replace(/["\r\n]/g, (c) => encodeURIComponent(c))}"`;

/** A boundary no text field contains; random, so a client cannot plant it in an image either. */
function boundaryFor(text: ReadonlyArray<[string, string]>): string {
  for (let attempt = 0; attempt < 4; attempt++) {
    const boundary = `----framefill-${crypto.randomUUID().replace(/-/g, '')}`;
    if (!text.some(([, value]) => value.includes(boundary))) return boundary;
  }
  throw new Error('no multipart boundary found that the fields do not contain');
}

/** The text fields' parts: what a body starts with, before its files. */
function textParts(text: ReadonlyArray<[string, string]>, boundary: string): string {
  let head = '';
  for (const [name, value] of text) head += `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n${value}\r\n`;
  return head;
}

/** multipart/form-data of `fields` (text, in order) then `files`, as one Blob. */
export function multipartBody(fields: TextFields, files: readonly UploadFile[]): MultipartBody {
  const text = textEntries(fields);
  const boundary = boundaryFor(text);
  const pieces: BlobPart[] = [];
  let head = textParts(text, boundary);
  for (const f of files) {
    pieces.push(`${head}--${boundary}\r\nContent-Disposition: form-data; name=${quoted(f.field)}; filename=${quoted(f.filename)}\r\nContent-Type: ${f.type}\r\n\r\n`, f.bytes as Uint8Array<ArrayBuffer>);
    head = '\r\n';
  }
  pieces.push(`${head}--${boundary}--\r\n`);
  const contentType = `multipart/form-data; boundary=${boundary}`;
  return { body: new Blob(pieces, { type: contentType }), contentType };
}

/**
 * `body` (multipartBody of `fields`) with other text fields: the new text parts, then the old
 * body's files as a slice of it (no copy). `fields` must be a subset of the original, so the
 * boundary still appears in none of them.
 */
function withTextFields({ body, contentType }: MultipartBody, original: TextFields, fields: TextFields): Blob {
  const boundary = contentType.slice(contentType.indexOf('boundary=') + 'boundary='.length);
  const oldHead = new TextEncoder().encode(textParts(textEntries(original), boundary)).byteLength;
  return new Blob([textParts(textEntries(fields), boundary), body.slice(oldHead)], { type: body.type });
}

/**
 * POST /images/edits through the SDK with the body assembled now, up front: the request's own
 * buffer can then go at once, while it is young (a large ArrayBuffer that lives on through the
 * call is promoted and costs a full GC per request under load; the Blob's bytes are outside the
 * JS heap). The same call serves a stream and a JSON request: the body's `stream` field tells
 * OpenAI which.
 */
export function editCall(client: UpstreamClient, fields: TextFields, files: readonly UploadFile[], stream: boolean): UpstreamCall {
  const sent = stream ? { ...fields, stream: true } : fields;
  const multipart = multipartBody(sent, files);
  const { body, contentType } = multipart;
  if (stream) {
    // Should OpenAI refuse to stream the model, the same edit goes again without streaming.
    const plain = withoutStreamFields(sent as Record<string, unknown>);
    offerPlainBody(body, { body: () => withTextFields(multipart, sent, plain), ...answerBounds(plain) });
  }
  return (signal) => client.post('/images/edits', { body, headers: { 'content-type': contentType }, stream, signal }).asResponse();
}
