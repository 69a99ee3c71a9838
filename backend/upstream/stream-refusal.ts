// When OpenAI will not stream a model: how its refusal reads, the generation body repeated
// without streaming, and that call's images as the completed events a stream ends with. Pure;
// stream-fallback.ts makes the calls.
import { sseEvent } from './sse';
import { isObject } from './values';

/** Request fields only a stream takes: dropped from the repeated call. */
const STREAM_FIELDS = ['stream', 'partial_images'] as const;

/** The refused parameter's words when OpenAI names none: "Streaming is not supported for model '…'". */
const STREAM_WORD = /\bstream/i;
const UNSUPPORTED = /not supported|unsupported|does not support|doesn't support|not available/i;

/**
 * Whether an upstream error answer refuses streaming itself: a 400 naming `stream` or
 * `partial_images`, or whose message says streaming is unsupported. Anything else (moderation,
 * a bad size, rate limits) is an ordinary failure.
 */
export function isStreamRefusal(status: number, bodyText: string): boolean {
  if (status !== 400) return false;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return false;
  }
  const error = isObject(body) && isObject(body.error) ? body.error : null;
  if (error === null) return false;
  if (error.param === 'stream' || error.param === 'partial_images') return true;
  return typeof error.message === 'string' && STREAM_WORD.test(error.message) && UNSUPPORTED.test(error.message);
}

/** A request to make again without streaming: its body, and what bounds the answer's size. */
export interface PlainRequest {
  body: string;
  /** images asked for */
  n: number;
  size: string | undefined;
}

/** A streamed generation's JSON body without its stream fields; null when it did not ask to stream. */
export function jsonWithoutStreaming(text: string): PlainRequest | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(body) || body.stream !== true) return null;
  const plain = { ...body };
  for (const field of STREAM_FIELDS) delete plain[field];
  return { body: JSON.stringify(plain), ...answerBounds(plain) };
}

/** The fields of a request that bound its answer (bounded-body.ts): `n` and `size`. */
export function answerBounds(fields: Record<string, unknown>): { n: number; size: string | undefined } {
  const n = Number(fields.n ?? 1);
  return { n: Number.isInteger(n) && n > 0 ? n : 1, size: typeof fields.size === 'string' ? fields.size : undefined };
}

/** Fields of a non-stream answer that describe its images, as its stream's events carry them. */
const IMAGE_FIELDS = ['size', 'quality', 'background', 'output_format'] as const;

/**
 * The images of a non-stream answer as the `<prefix>.completed` events a stream of the same
 * request ends with, one per image, encoded one at a time (each holds megabytes of base64). The
 * answer's whole `usage` rides on the last event only: the relay adds the events' usages up, so
 * the charge is the call's. Null when the answer is not an images response.
 */
export function completedEvents(answer: unknown, prefix: 'image_generation' | 'image_edit'): (() => Uint8Array)[] | null {
  if (!isObject(answer) || !Array.isArray(answer.data)) return null;
  const type = `${prefix}.completed`;
  const common: Record<string, unknown> = { created_at: answer.created };
  for (const field of IMAGE_FIELDS) if (answer[field] !== undefined) common[field] = answer[field];
  const images: unknown[] = answer.data;
  return images.map((image, i) => () => {
    const b64 = isObject(image) && typeof image.b64_json === 'string' ? image.b64_json : '';
    const last = i === images.length - 1;
    return sseEvent(type, { type, b64_json: b64, ...common, ...(last && answer.usage !== undefined ? { usage: answer.usage } : {}) });
  });
}

/** Which stream a request path asks for: generations and edits have their own event names. */
export function eventPrefixOf(path: string): 'image_generation' | 'image_edit' | null {
  if (path.endsWith('/images/generations')) return 'image_generation';
  if (path.endsWith('/images/edits')) return 'image_edit';
  return null;
}

/** The multipart text fields of a streamed edit, without the stream fields. */
export function withoutStreamFields(fields: Record<string, unknown>): Record<string, unknown> {
  const plain = { ...fields };
  for (const field of STREAM_FIELDS) delete plain[field];
  return plain;
}
