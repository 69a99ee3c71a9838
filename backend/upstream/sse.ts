// Server-sent events as OpenAI sends them: `event: <type>\ndata: <json>\n\n`. Comments
// (`: keepalive`) keep idle proxies from cutting a long generation; SSE clients, the openai SDK
// included, ignore them. Reading events back (tests, tools) is test/support/sse.ts.

const encoder = new TextEncoder();

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

export function sseEvent(type: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}

export function sseComment(text: string): Uint8Array {
  return encoder.encode(`: ${text}\n\n`);
}
