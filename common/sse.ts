// Reading server-sent events, on top of eventsource-parser: a small, maintained, spec-compliant
// parser (WHATWG event-stream format: CRLF/LF/CR line ends, a chunk may split anywhere, `data:`
// lines join with "\n", comments skipped, one space after the colon dropped). The panel reads
// the backend's streams with it and backend tests read their responses with it. The backend's
// relay does not: it forwards upstream bytes untouched (backend/upstream/sse-splitter.ts).
import { createParser } from 'eventsource-parser';

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
  // Unknown fields and "retry" are ignored (no onError/onRetry): we never reconnect automatically.
  const parser = createParser({
    onEvent: (e) => onEvent({ event: e.event ?? 'message', data: e.data, id: e.id ?? null }),
  });
  return {
    push(chunk) {
      if (chunk) parser.feed(chunk);
    },
    end() {
      // The spec drops an unfinished event at EOF; ending its line and the event delivers it. A
      // lone CR held back as a possible CRLF pairs with the first LF, so nothing is doubled.
      parser.feed('\n\n');
      parser.reset();
    },
  };
}
