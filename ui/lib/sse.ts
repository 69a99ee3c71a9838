// Server-sent events parsing per the WHATWG event-stream format: lines end in CRLF, LF or CR
// (and a chunk may split anywhere, even between CR and LF), `data:` lines join with "\n",
// lines starting with ":" are comments, one optional space after the colon is dropped.
// Image events carry megabytes of base64 on one line, so a line is scanned only once.

export interface SseEvent {
  /** "message" when the server sent no `event:` field */
  event: string;
  data: string;
  id: string | null;
}

export interface SseParser {
  push(chunk: string): void;
  /** end of stream: a last event without its blank line is still delivered (lenient) */
  end(): void;
}

export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  let buffer = '';
  let scanned = 0;
  let skipLf = false;
  let started = false;
  let data: string[] = [];
  let hasData = false;
  let eventName = '';
  let lastId: string | null = null;

  const dispatch = () => {
    if (hasData) onEvent({ event: eventName || 'message', data: data.join('\n'), id: lastId });
    data = [];
    hasData = false;
    eventName = '';
  };

  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      data.push(value);
      hasData = true;
    } else if (field === 'event') eventName = value;
    else if (field === 'id' && !value.includes('\0')) lastId = value;
    // "retry" and unknown fields are ignored: we never reconnect automatically.
  };

  return {
    push(chunk) {
      if (!chunk) return;
      if (!started) {
        started = true;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      buffer += chunk;
      if (skipLf && buffer.startsWith('\n')) {
        buffer = buffer.slice(1);
        scanned = Math.max(0, scanned - 1);
      }
      skipLf = false;
      let start = 0;
      for (let i = scanned; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        line(buffer.slice(start, i));
        if (c === 13) {
          if (i + 1 < buffer.length) {
            if (buffer.charCodeAt(i + 1) === 10) i++;
          } else {
            skipLf = true; // the LF of this CRLF may be in the next chunk
          }
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
      scanned = buffer.length;
    },
    end() {
      if (buffer) line(buffer);
      buffer = '';
      scanned = 0;
      dispatch();
    },
  };
}

/** Reads a fetch body as SSE until it ends; cancelling `signal` aborts the read. */
export async function readSse(body: ReadableStream<Uint8Array>, onEvent: (event: SseEvent) => void, signal?: AbortSignal): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = createSseParser(onEvent);
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
      const { done, value } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
    parser.push(decoder.decode());
    parser.end();
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}
