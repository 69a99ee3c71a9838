// Reading a whole event-stream response back in tests and tools, with the panel's own parser.
import { createSseParser, type SseEvent } from '../../common/sse';

/** All events of a complete event-stream text. */
export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser((event) => events.push(event));
  parser.push(text);
  parser.end();
  return events;
}
