// Which upstream answers refuse streaming, the body repeated without it, and the events made of
// the repeat's answer.
import { describe, expect, it } from 'vitest';
import { parseSse } from '../../test/support/sse';
import { completedEvents, isStreamRefusal, jsonWithoutStreaming } from './stream-refusal';

const error = (e: Record<string, unknown>) => JSON.stringify({ error: { type: 'invalid_request_error', code: null, param: null, ...e } });

describe('isStreamRefusal', () => {
  it.each([
    ['param stream', error({ param: 'stream', message: "Streaming is not supported for model 'm'.", code: 'unsupported_value' })],
    ['param partial_images', error({ param: 'partial_images', message: "Unsupported parameter: 'partial_images' is not supported with this model." })],
    ['the message alone', error({ message: 'This model does not support streaming.' })],
    ['the message alone, other words', error({ message: "Streaming isn't available: stream is unsupported for gpt-image-x." })],
  ])('yes: a 400 naming %s', (_name, body) => {
    expect(isStreamRefusal(400, body)).toBe(true);
  });

  it.each([
    ['moderation', 400, error({ type: 'image_generation_user_error', code: 'moderation_blocked', message: 'Your request was rejected by the safety system.' })],
    ['another param', 400, error({ param: 'quality', message: "The model 'gpt-image-2' does not support quality 'xhigh'." })],
    ['a 500 about streams', 500, error({ param: 'stream', message: 'Streaming is not supported right now.' })],
    ['a 429', 429, error({ param: 'stream' })],
    ['not JSON', 400, '<html>Bad Request: streaming not supported</html>'],
    ['no error object', 400, JSON.stringify({ param: 'stream' })],
  ])('no: %s', (_name, status, body) => {
    expect(isStreamRefusal(status, body)).toBe(false);
  });
});

describe('jsonWithoutStreaming', () => {
  it('drops stream and partial_images, keeps every other field as sent, and reads n and size', () => {
    const plain = jsonWithoutStreaming(JSON.stringify({ model: 'gpt-image-2', prompt: 'x', stream: true, partial_images: 2, n: 3, size: '1024x640', user: 'ff_u_1' }));
    expect(plain).toEqual({ body: JSON.stringify({ model: 'gpt-image-2', prompt: 'x', n: 3, size: '1024x640', user: 'ff_u_1' }), n: 3, size: '1024x640' });
    expect(jsonWithoutStreaming(JSON.stringify({ prompt: 'x', stream: true }))).toMatchObject({ n: 1, size: undefined });
  });

  it('is null for a request that did not stream, or is not a JSON object', () => {
    expect(jsonWithoutStreaming(JSON.stringify({ prompt: 'x' }))).toBeNull();
    expect(jsonWithoutStreaming(JSON.stringify({ prompt: 'x', stream: 'true' }))).toBeNull();
    expect(jsonWithoutStreaming('[1]')).toBeNull();
    expect(jsonWithoutStreaming('{')).toBeNull();
  });
});

describe('completedEvents', () => {
  const usage = { input_tokens: 10, output_tokens: 400, total_tokens: 410, input_tokens_details: { image_tokens: 0, text_tokens: 10 } };
  const answer = { created: 1_790_000_000, size: '1024x640', quality: 'low', background: 'opaque', output_format: 'png', data: [{ b64_json: 'QUFB' }, { b64_json: 'QkJC' }], usage };

  it('one completed event per image in OpenAI stream form; the whole usage on the last only', () => {
    const text = completedEvents(answer, 'image_edit')!.map((make) => new TextDecoder().decode(make())).join('');
    const events = parseSse(text);
    expect(events.map((e) => e.event)).toEqual(['image_edit.completed', 'image_edit.completed']);
    const [first, last] = events.map((e) => JSON.parse(e.data) as Record<string, unknown>);
    const common = { type: 'image_edit.completed', created_at: 1_790_000_000, size: '1024x640', quality: 'low', background: 'opaque', output_format: 'png' };
    expect(first).toEqual({ ...common, b64_json: 'QUFB' });
    expect(last).toEqual({ ...common, b64_json: 'QkJC', usage });
  });

  it('is null for an answer that is not an images response', () => {
    expect(completedEvents({ object: 'list' }, 'image_generation')).toBeNull();
    expect(completedEvents('x', 'image_generation')).toBeNull();
  });
});
