// The fake's Files and Batches endpoints, driven by the official SDK as the backend drives them.
import OpenAI, { BadRequestError, NotFoundError, toFile } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pngOf } from '../support/images.js';
import { DEFAULT_API_KEY, startFakeOpenAI, type FakeOpenAI } from './server.js';
import { sniffImage } from './sniff.js';

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ batchLatencyMs: 60_000 });
  client = new OpenAI({ apiKey: DEFAULT_API_KEY, baseURL: fake.url, maxRetries: 0 });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const line = (custom_id: string, url: string, body: Record<string, unknown>) => JSON.stringify({ custom_id, method: 'POST', url, body });

async function uploadInput(lines: string[]) {
  return client.files.create({ file: await toFile(Buffer.from(lines.join('\n')), 'input.jsonl', { type: 'application/jsonl' }), purpose: 'batch' });
}

async function outputLines(fileId: string | null | undefined): Promise<Record<string, unknown>[]> {
  if (!fileId) return [];
  const text = await (await client.files.content(fileId)).text();
  return text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('Files', () => {
  it('uploads, describes and returns a file', async () => {
    const file = await client.files.create({ file: await toFile(pngOf(64, 64), 'ref.png', { type: 'image/png' }), purpose: 'vision' });
    expect(file).toMatchObject({ object: 'file', purpose: 'vision', filename: 'ref.png', status: 'processed' });
    expect(file.id).toMatch(/^file-/);
    expect(await client.files.retrieve(file.id)).toEqual(file);
    const bytes = Buffer.from(await (await client.files.content(file.id)).arrayBuffer());
    expect(bytes.equals(pngOf(64, 64))).toBe(true);
  });

  it('deletes a file as OpenAI answers it, and a second delete is a 404', async () => {
    const file = await client.files.create({ file: await toFile(pngOf(16, 16), 'ref.png', { type: 'image/png' }), purpose: 'vision' });
    expect(fake.files.list().map((f) => f.id)).toEqual([file.id]);
    expect(await client.files.delete(file.id)).toEqual({ id: file.id, object: 'file', deleted: true });
    expect(fake.files.list()).toEqual([]);
    const again = await client.files.delete(file.id).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(NotFoundError);
    expect((again as NotFoundError).error).toMatchObject({ message: `No such File object: ${file.id}`, type: 'invalid_request_error' });
  });

  it('refuses an unknown purpose and a batch file that is not JSONL, naming the param', async () => {
    const bad = await client.files.create({ file: await toFile(Buffer.from('{}'), 'x.jsonl'), purpose: 'nonsense' as 'batch' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect((bad as BadRequestError).param).toBe('purpose');
    const notJsonl = await client.files.create({ file: await toFile(Buffer.from('{}'), 'x.txt'), purpose: 'batch' }).catch((e: unknown) => e);
    expect((notJsonl as BadRequestError).param).toBe('file');
    expect(await client.files.retrieve('file-missing').catch((e: unknown) => e)).toBeInstanceOf(NotFoundError);
  });
});

describe('Batches', () => {
  it('runs generations: valid lines in the output file, an invalid one in the error file', async () => {
    const input = await uploadInput([
      line('a', '/v1/images/generations', { model: 'gpt-image-2', prompt: 'a fox', quality: 'low', size: '1024x1024' }),
      line('b', '/v1/images/generations', { model: 'gpt-image-2', prompt: 'a hen', quality: 'low', size: '512x512', output_format: 'jpeg' }),
      line('bad', '/v1/images/generations', { model: 'gpt-image-2', prompt: 'x', size: '1000x1000' }),
    ]);
    const batch = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/images/generations', completion_window: '24h' });
    expect(batch).toMatchObject({ object: 'batch', status: 'in_progress', endpoint: '/v1/images/generations', request_counts: { total: 3 } });
    expect((await client.batches.retrieve(batch.id)).status).toBe('in_progress');

    fake.batches.completeNow(batch.id);
    const done = await client.batches.retrieve(batch.id);
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 3, completed: 2, failed: 1 } });
    const out = await outputLines(done.output_file_id);
    expect(out.map((l) => l.custom_id)).toEqual(['a', 'b']);
    const b = out[1] as { response: { status_code: number; body: { data: { b64_json: string }[]; usage: { output_tokens: number } } } };
    expect(b.response.status_code).toBe(200);
    expect(sniffImage(Buffer.from(b.response.body.data[0]!.b64_json, 'base64'))).toMatchObject({ format: 'jpeg', width: 512, height: 512 });
    expect(b.response.body.usage.output_tokens).toBeGreaterThan(0);
    const [bad] = await outputLines(done.error_file_id);
    expect(bad).toMatchObject({ custom_id: 'bad', response: { status_code: 400, body: { error: { param: 'size', type: 'invalid_request_error' } } } });
  });

  it('runs edits whose images and mask are uploaded files', async () => {
    const image = await client.files.create({ file: await toFile(pngOf(256, 256), 'ref.png'), purpose: 'vision' });
    const input = await uploadInput([
      line('e1', '/v1/images/edits', { model: 'gpt-image-2', prompt: 'make it blue', images: [{ file_id: image.id }], size: '1024x1024', quality: 'low' }),
      line('e2', '/v1/images/edits', { model: 'gpt-image-2', prompt: 'gone', images: [{ file_id: 'file-nope' }] }),
    ]);
    const batch = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/images/edits', completion_window: '24h' });
    fake.batches.completeNow();
    const done = await client.batches.retrieve(batch.id);
    expect(done.request_counts).toMatchObject({ completed: 1, failed: 1 });
    expect((await outputLines(done.output_file_id))[0]).toMatchObject({ custom_id: 'e1', response: { status_code: 200 } });
    expect((await outputLines(done.error_file_id))[0]).toMatchObject({ custom_id: 'e2', response: { status_code: 404, body: { error: { param: 'images' } } } });
  });

  it('refuses a bad create with the param named', async () => {
    const input = await uploadInput([line('a', '/v1/images/generations', { prompt: 'x' })]);
    const window = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/images/generations', completion_window: '1h' as '24h' }).catch((e: unknown) => e);
    expect((window as BadRequestError).param).toBe('completion_window');
    const endpoint = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/images/variations' as '/v1/images/edits', completion_window: '24h' }).catch((e: unknown) => e);
    expect((endpoint as BadRequestError).param).toBe('endpoint');
    const missing = await client.batches.create({ input_file_id: 'file-none', endpoint: '/v1/images/generations', completion_window: '24h' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
  });

  it('fails a batch whose input repeats a custom_id, with the line named', async () => {
    const input = await uploadInput([line('a', '/v1/images/generations', { prompt: 'x' }), line('a', '/v1/images/generations', { prompt: 'y' })]);
    const batch = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/images/generations', completion_window: '24h' });
    expect(batch.status).toBe('failed');
    expect(batch.errors?.data?.[0]).toMatchObject({ code: 'duplicate_custom_id', line: 2 });
  });

  it('expires what was not done and reports per-item faults', async () => {
    const ids = ['i0', 'i1', 'i2', 'i3'];
    const input = await uploadInput(ids.map((id) => line(id, '/v1/images/generations', { model: 'gpt-image-2', prompt: id, quality: 'low', size: '256x256' })));
    const batch = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/images/generations', completion_window: '24h' });
    fake.batches.setItemFault('i1', 'server_error');
    fake.batches.expireNow(batch.id, { done: 2 });
    const done = await client.batches.retrieve(batch.id);
    expect(done.status).toBe('expired');
    expect((await outputLines(done.output_file_id)).map((l) => l.custom_id)).toEqual(['i0']);
    const errors = await outputLines(done.error_file_id);
    expect(errors.map((l) => [l.custom_id, (l.error as { code?: string } | null)?.code ?? (l.response as { status_code: number }).status_code])).toEqual([
      ['i1', 500],
      ['i2', 'batch_expired'],
      ['i3', 'batch_expired'],
    ]);
  });

  it('cancels: cancelling at once, then cancelled with nothing run', async () => {
    const input = await uploadInput([line('a', '/v1/images/generations', { prompt: 'x' })]);
    const batch = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/images/generations', completion_window: '24h' });
    expect((await client.batches.cancel(batch.id)).status).toBe('cancelling');
    const after = await client.batches.retrieve(batch.id);
    expect(after.status).toBe('cancelled');
    expect((await outputLines(after.error_file_id))[0]).toMatchObject({ custom_id: 'a', error: { code: 'batch_cancelled' } });
  });
});
