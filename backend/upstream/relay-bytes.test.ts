// The backend relays OpenAI's bytes: a partial image event arrives at the client exactly as
// OpenAI sent it, however the network cut it into chunks, and the final completed event and a
// non-stream body are OpenAI's text with only `"framefill":{…}` added before the closing brace —
// nothing re-serialised (the images are megabytes of base64). The upstream here is scripted
// through the SDK's `fetch`, so its exact bytes and chunking are known.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COST_HEADER, imagesResponseSchema, streamEventSchema } from '../contract';
import { costFromUsage } from '../pricing';
import { parseSse } from '../../test/support/sse';
import { startStack, type Stack } from '../test-helpers/stack';

const enc = new TextEncoder();
const B64 = `iVBORw0KGgo${'Qk1+/wAA'.repeat(40_000)}`; // ~320 KB, like a real image event
const USAGE = { input_tokens: 20, input_tokens_details: { image_tokens: 0, text_tokens: 20 }, output_tokens: 196, total_tokens: 216 };

// OpenAI-shaped, but with spacing and key order a re-serialisation would change.
const partialEvent = `event: image_generation.partial_image\ndata: {"type": "image_generation.partial_image", "partial_image_index": 0, "b64_json": "${B64.slice(0, 50_000)}", "size": "1024x1024"}\n\n`;
const completedData = `{"type":"image_generation.completed",  "b64_json":"${B64}", "created_at": 1700000000, "size":"1024x1024", "quality":"low", "usage": ${JSON.stringify(USAGE, null, 1)} }`;
const completedEvent = `event: image_generation.completed\ndata: ${completedData.replace(/\n/g, '')}\n\n`;
const jsonBody = `{\n  "created": 1700000000,\n  "data": [ { "b64_json": "${B64}" } ],\n  "usage": ${JSON.stringify(USAGE)}\n}\n`;

let script: { body: string; type: string; chunk: number } = { body: '', type: 'application/json', chunk: 1 << 20 };
/** The upstream answers whatever `script` says, cut into `chunk`-byte pieces. */
const scriptedFetch: typeof fetch = async () => {
  const bytes = enc.encode(script.body);
  const size = script.chunk;
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': script.type, 'x-request-id': 'req_upstream_1' } });
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ deps: { fetch: scriptedFetch } });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.logText.length = 0;
});

const post = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  stack.fetch('/v1/images/generations', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ prompt: 'a fox', quality: 'low', ...body }) });

describe('stream relay', () => {
  it.each([1, 13, 4096, 65_536])('relays a partial byte for byte and splices framefill into the final event (upstream chunks of %i bytes)', async (chunk) => {
    script = { body: `${partialEvent}: upstream keepalive\n\n${completedEvent}`, type: 'text/event-stream', chunk };
    const res = await post({ stream: true, partial_images: 1 });
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = text.split(/(?<=\n\n)/).filter((e) => !e.startsWith(':'));
    expect(events[0]).toBe(partialEvent);
    const cost = costFromUsage(USAGE);
    const requestId = res.headers.get('x-request-id');
    const framefill = `,"framefill":${JSON.stringify({ cost_usd: cost, request_id: requestId, model: 'gpt-image-2' })}`;
    const close = completedEvent.lastIndexOf('}');
    expect(events[1]).toBe(completedEvent.slice(0, close) + framefill + completedEvent.slice(close));
    expect(events).toHaveLength(2);
    for (const e of parseSse(text)) streamEventSchema.parse(JSON.parse(e.data));
    const logs = await stack.waitForLogs(1);
    expect(logs[0]).toMatchObject({ status: 200, stream: true, images: 1, cost_usd: cost, upstream_request_id: 'req_upstream_1' });
  });

  it('keeps the completed image (not the partial) for an idempotent stream', async () => {
    script = { body: partialEvent + completedEvent, type: 'text/event-stream', chunk: 8192 };
    const key = `relay-${crypto.randomUUID()}`;
    await (await post({ stream: true, partial_images: 1 }, { 'idempotency-key': key })).text();
    const stored = imagesResponseSchema.parse(await (await stack.fetch(`/v1/results/${key}`)).json());
    expect(stored.data[0]!.b64_json).toBe(B64);
    expect(stored).toMatchObject({ created: 1700000000, size: '1024x1024', quality: 'low', usage: { input_tokens: 20, output_tokens: 196 } });
  });
});

describe('non-stream relay', () => {
  it("is OpenAI's body with framefill spliced in before its closing brace", async () => {
    script = { body: jsonBody, type: 'application/json', chunk: 16_384 };
    const res = await post({});
    expect(res.status).toBe(200);
    const cost = costFromUsage(USAGE);
    expect(Number(res.headers.get(COST_HEADER))).toBe(cost);
    const text = await res.text();
    const close = jsonBody.lastIndexOf('}');
    const framefill = `,"framefill":${JSON.stringify({ cost_usd: cost, request_id: res.headers.get('x-request-id'), model: 'gpt-image-2' })}`;
    expect(text).toBe(jsonBody.slice(0, close) + framefill + jsonBody.slice(close));
    expect(imagesResponseSchema.parse(JSON.parse(text)).data[0]!.b64_json).toBe(B64);
  });

  it('keeps the image of an idempotent non-stream call for GET /v1/results', async () => {
    script = { body: jsonBody, type: 'application/json', chunk: 4096 };
    const key = `relay-${crypto.randomUUID()}`;
    expect((await post({}, { 'idempotency-key': key })).status).toBe(200);
    const stored = imagesResponseSchema.parse(await (await stack.fetch(`/v1/results/${key}`)).json());
    expect(stored.data[0]!.b64_json).toBe(B64);
    expect(stored).toMatchObject({ created: 1700000000, usage: { input_tokens: 20, output_tokens: 196 } });
  });

  it('an upstream body that already has a framefill key is rewritten whole, with ours', async () => {
    script = { body: `{"data":[{"b64_json":"${B64}"}],"usage":${JSON.stringify(USAGE)},"framefill":{"cost_usd":0}}`, type: 'application/json', chunk: 1 << 20 };
    const res = await post({});
    const text = await res.text();
    expect(text.match(/"framefill"/g)).toHaveLength(1);
    expect(JSON.parse(text).framefill.cost_usd).toBe(costFromUsage(USAGE));
  });

  it('an upstream body that is not a JSON object is a 502, not a broken splice', async () => {
    for (const body of ['[1,2]', '{"data":[]', '', 'null']) {
      script = { body, type: 'application/json', chunk: 1 << 20 };
      const res = await post({});
      expect(res.status, body).toBe(502);
      expect((await res.json()).error.code).toBe('upstream_invalid_response');
    }
  });
});
