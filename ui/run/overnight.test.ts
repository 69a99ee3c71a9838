import { signal } from '@preact/signals';
import { describe, expect, it, vi } from 'vitest';
import type { Batch, BatchItem } from '../../backend/contract';
import type { HistoryEntry, ScheduledBatch, Target, UiToSandbox } from '../../plugin/messages';
import { pngOf } from '../../test/support/images';
import type { BackendClient } from '../lib/backend-client';
import { BackendError } from '../lib/backend-error';
import { buildPlan } from '../lib/plan';
import type { Requester } from '../transport';
import { createOvernight } from './overnight';

const PNG = new Uint8Array(pngOf(32, 32, 4));
const B64 = Buffer.from(PNG).toString('base64');
const frame = (id: string, empty: boolean): Target => ({ id, name: `Frame ${id}`, type: 'FRAME', width: 1024, height: 1024, empty, maskId: null });
const choice = { tier: 'medium' as const, sizeMode: 'auto' as const, customWidth: 1024, customHeight: 1024, hd: false, variations: 1 };

function batchOf(items: { id: string; status: Batch['items'][number]['status'] }[], status: Batch['status'] = 'completed'): Batch {
  return {
    object: 'framefill.batch', id: 'fb_1', status, created_at: 1_700_000_000, discount: 0.5, reserved_usd: 0, cost_usd: 0.04,
    progress: { total: items.length, completed: items.filter((i) => i.status === 'succeeded').length, failed: 0 },
    items: items.map((i) => ({ id: i.id, kind: 'generation' as const, status: i.status, cost_usd: i.status === 'succeeded' ? 0.02 : null, error: null })),
  };
}

function setup(backend: Partial<Record<'submitBatch' | 'batch' | 'result' | 'cancelBatch', (...args: never[]) => unknown>>, uploadBudget = 4_000_000, idPrefix = 'id', onExport: () => void = () => undefined) {
  const emitted: UiToSandbox[] = [];
  const placed: unknown[] = [];
  const requester: Requester = {
    exportNodes: vi.fn(async (request) => (onExport(), { type: 'exported' as const, rid: 'r', images: ('nodeIds' in request ? request.nodeIds : [request.nodeId]).map((nodeId: string) => ({ nodeId, bytes: PNG, format: 'png' as const, width: 32, height: 32 })), mask: null })),
    place: vi.fn(async (request) => {
      placed.push(request);
      return { type: 'placed' as const, rid: 'r', nodeIds: ['1'], imageHash: 'h', notices: [] };
    }),
    close: () => undefined,
  };
  let n = 0;
  const budgets: number[] = [];
  const history = signal<HistoryEntry[]>([]);
  const overnight = createOvernight({
    requester,
    client: () => backend as unknown as BackendClient,
    imageOps: { prepareEditUploads: async (images, mask, budget) => (budgets.push(budget), { images: images.map((i) => ({ bytes: i.bytes, type: 'image/png' as const, name: i.name })), mask: mask?.bytes ?? null }), makeThumbnail: async () => null },
    newId: () => `${idPrefix}-${++n}`,
    now: () => 1_700_000_100_000,
    uploadBudget,
    emit: (m) => emitted.push(m),
    history,
  });
  return { overnight, emitted, placed, history, budgets };
}

describe('scheduling overnight', () => {
  it('sends every job as one batch, an edit with its target exported as base64, and records it in the file', async () => {
    let made = 0;
    const submitBatch = vi.fn(async (items: BatchItem[]) => ({ ...batchOf(items.map((i) => ({ id: i.id, status: 'pending' })), 'in_progress'), id: `fb_${++made}` }));
    const { overnight, emitted } = setup({ submitBatch });
    const plan = buildPlan({ selection: { targets: [frame('1', false), frame('2', true)], skipped: [] }, pinned: [], choice, promptChars: 8, prompt: 'A kettle' });
    await overnight.schedule(plan, 'A kettle', 'medium');
    expect(submitBatch).toHaveBeenCalledTimes(1);
    const items = submitBatch.mock.calls[0]![0];
    expect(items.map((i) => [i.kind, i.images])).toEqual([['edit', [B64]], ['generation', undefined]]);
    // Its own Idempotency-Key, none of the items' ids: a retry after a lost answer finds this batch.
    const key = (submitBatch.mock.calls[0] as unknown[])[1];
    expect(key).toMatch(/^id-\d+\.0$/);
    expect(items.map((i) => i.id)).not.toContain(key);

    // The next scheduling is another batch: another key.
    await overnight.schedule(plan, 'A kettle', 'medium');
    expect((submitBatch.mock.calls[1] as unknown[])[1]).not.toBe(key);
    const scheduled = emitted.find((m) => m.type === 'schedule-batch');
    expect(scheduled).toMatchObject({ batch: { id: 'fb_1', discount: 0.5, items: [{ id: items[0]!.id, targetId: '1' }, { id: items[1]!.id, targetId: '2' }] } });
    expect(overnight.status.value).toMatch(/^Scheduled 2 images overnight/);
    expect(overnight.batches.value).toHaveLength(2);
  });

  it('shares the one request body among the edits', async () => {
    const submitBatch = vi.fn(async (items: BatchItem[]) => batchOf(items.map((i) => ({ id: i.id, status: 'pending' })), 'in_progress'));
    const { overnight, budgets } = setup({ submitBatch });
    const plan = buildPlan({ selection: { targets: [frame('1', false), frame('2', false), frame('3', false)], skipped: [] }, pinned: [], choice, promptChars: 8, prompt: 'A kettle' });
    await overnight.schedule(plan, 'A kettle', 'medium');
    expect(budgets).toEqual([1_000_000, 1_000_000, 1_000_000]); // 3/4 of 4 MB (base64 grows it by 4/3) over three edits
  });

  it('sends a restyle too large for one request as several batches, each recorded, none lost', async () => {
    const submitBatch = vi.fn(async (items: BatchItem[]) => ({ ...batchOf(items.map((i) => ({ id: i.id, status: 'pending' })), 'in_progress'), id: `fb_${items[0]!.id}`, reserved_usd: 0.01 }));
    const { overnight, emitted } = setup({ submitBatch }, 8_000);
    const targets = Array.from({ length: 12 }, (_, i) => frame(String(i + 1), false));
    const plan = buildPlan({ selection: { targets, skipped: [] }, pinned: [], choice, promptChars: 8, prompt: 'A kettle' });
    await overnight.schedule(plan, 'A kettle', 'medium');
    const sent = submitBatch.mock.calls.map((call) => call[0]);
    expect(sent.length).toBeGreaterThan(1);
    for (const items of sent) expect(JSON.stringify({ items }).length).toBeLessThanOrEqual(8_000);
    // every frame went, once, in order, each request under its own key
    expect(new Set(sent.flat().map((i) => i.id)).size).toBe(12);
    expect(new Set(submitBatch.mock.calls.map((call) => (call as unknown[])[1])).size).toBe(sent.length);
    const records = emitted.filter((m) => m.type === 'schedule-batch');
    expect(records).toHaveLength(sent.length);
    expect(records.flatMap((m) => (m.type === 'schedule-batch' ? m.batch.items.map((i) => i.targetId) : []))).toEqual(targets.map((t) => t.id));
    expect(overnight.status.value).toMatch(new RegExp(`^Scheduled 12 images overnight in ${sent.length} batches`));
  });

  it('sends each request as soon as it is full: a big restyle never holds all its images at once', async () => {
    const order: string[] = [];
    const submitBatch = vi.fn(async (items: BatchItem[]) => (order.push('send'), { ...batchOf(items.map((i) => ({ id: i.id, status: 'pending' })), 'in_progress'), id: `fb_${items[0]!.id}` }));
    const { overnight } = setup({ submitBatch }, 8_000, 'id', () => order.push('export'));
    const plan = buildPlan({ selection: { targets: Array.from({ length: 12 }, (_, i) => frame(String(i + 1), false)), skipped: [] }, pinned: [], choice, promptChars: 8, prompt: 'A kettle' });
    await overnight.schedule(plan, 'A kettle', 'medium');
    expect(order.filter((o) => o === 'export')).toHaveLength(12);
    expect(submitBatch.mock.calls.length).toBeGreaterThan(2);
    // the first request went before the last frame was exported
    expect(order.indexOf('send')).toBeLessThan(order.lastIndexOf('export'));
  });

  it('keeps what was sent when a later export fails, and says what was not scheduled', async () => {
    const submitBatch = vi.fn(async (items: BatchItem[]) => ({ ...batchOf(items.map((i) => ({ id: i.id, status: 'pending' })), 'in_progress'), id: `fb_${items[0]!.id}` }));
    let exports = 0;
    const { overnight, emitted } = setup({ submitBatch }, 8_000, 'id', () => {
      if (++exports === 10) throw new Error('The layer was deleted');
    });
    const plan = buildPlan({ selection: { targets: Array.from({ length: 12 }, (_, i) => frame(String(i + 1), false)), skipped: [] }, pinned: [], choice, promptChars: 8, prompt: 'A kettle' });
    await overnight.schedule(plan, 'A kettle', 'medium');
    const scheduled = submitBatch.mock.calls.flatMap((call) => call[0]).length;
    expect(scheduled).toBeGreaterThan(0);
    expect(scheduled).toBeLessThan(10);
    expect(emitted.filter((m) => m.type === 'schedule-batch')).toHaveLength(submitBatch.mock.calls.length);
    expect(overnight.status.value).toMatch(new RegExp(`^Scheduled ${scheduled} images? overnight.* The other ${12 - scheduled} images couldn't be scheduled: The layer was deleted`));
  });

  it('records the batches of one split Run as that Run (one row in Scheduled), and Cancel stops them all, said once', async () => {
    const submitBatch = vi.fn(async (items: BatchItem[]) => ({ ...batchOf(items.map((i) => ({ id: i.id, status: 'pending' })), 'in_progress'), id: `fb_${items[0]!.id}` }));
    const cancelBatch = vi.fn(async (id: string) => ({ ...batchOf([{ id: 'x', status: 'cancelled' }], 'cancelled'), id }));
    const { overnight, emitted } = setup({ submitBatch, cancelBatch }, 8_000);
    const plan = buildPlan({ selection: { targets: Array.from({ length: 12 }, (_, i) => frame(String(i + 1), false)), skipped: [] }, pinned: [], choice, promptChars: 8, prompt: 'A kettle' });
    await overnight.schedule(plan, 'A kettle', 'medium');
    await overnight.schedule(plan, 'A kettle', 'medium');
    const runs = emitted.flatMap((m) => (m.type === 'schedule-batch' ? [m.batch.run] : []));
    const first = runs.slice(0, runs.length / 2);
    expect(new Set(first).size).toBe(1);
    expect(first.length).toBeGreaterThan(1);
    expect(new Set(runs).size).toBe(2); // the second Run is a run of its own
    const ids = overnight.batches.value.filter((b) => b.record.run === first[0]).map((b) => b.record.id);
    await overnight.cancel(ids);
    expect(cancelBatch.mock.calls.map((call) => call[0])).toEqual(ids);
    expect(overnight.status.value).toBe('Cancelled the overnight run.');
    expect(overnight.batches.value.every((b) => b.record.run !== first[0])).toBe(true);
    expect(overnight.batches.value).toHaveLength(ids.length);
  });

  it('keeps the batches already sent when a later request fails, and says what was not scheduled', async () => {
    let calls = 0;
    const submitBatch = vi.fn(async (items: BatchItem[]) => {
      if (++calls === 2) throw new Error('budget exceeded');
      return { ...batchOf(items.map((i) => ({ id: i.id, status: 'pending' })), 'in_progress'), id: `fb_${calls}` };
    });
    const { overnight, emitted } = setup({ submitBatch }, 8_000);
    const plan = buildPlan({ selection: { targets: Array.from({ length: 12 }, (_, i) => frame(String(i + 1), false)), skipped: [] }, pinned: [], choice, promptChars: 8, prompt: 'A kettle' });
    await overnight.schedule(plan, 'A kettle', 'medium');
    const first = submitBatch.mock.calls[0]![0].length;
    expect(first).toBeGreaterThan(1);
    expect(emitted.filter((m) => m.type === 'schedule-batch')).toHaveLength(1);
    expect(overnight.batches.value.map((b) => b.record.id)).toEqual(['fb_1']);
    expect(overnight.status.value).toBe(`Scheduled ${first} images overnight · $0.00 reserved (half price) — placed when this file is next opened. The other ${12 - first} images couldn't be scheduled: budget exceeded`);
  });

  it('a Run of the same plan after no answer came sends the same key and item ids; another plan, new ones', async () => {
    let calls = 0;
    const submitBatch = vi.fn(async (items: BatchItem[]) => {
      // the backend made the first one, but its answer never arrived
      if (++calls === 1) throw new TypeError('Failed to fetch');
      return batchOf(items.map((i) => ({ id: i.id, status: 'pending' })), 'in_progress');
    });
    const { overnight, emitted } = setup({ submitBatch });
    const plan = buildPlan({ selection: { targets: [frame('1', true), frame('2', true)], skipped: [] }, pinned: [], choice, promptChars: 8, prompt: 'A kettle' });
    await overnight.schedule(plan, 'A kettle', 'medium');
    expect(overnight.status.value).toMatch(/^Couldn't schedule the overnight run/);
    await overnight.schedule(plan, 'A kettle', 'medium');
    const [first, second] = submitBatch.mock.calls as unknown as [[BatchItem[], string], [BatchItem[], string]];
    expect(second[1]).toBe(first[1]);
    expect(second[0].map((i) => i.id)).toEqual(first[0].map((i) => i.id));
    expect(emitted.filter((m) => m.type === 'schedule-batch')).toHaveLength(1);
    // scheduled now: the next Run, even of the same plan, is a new batch
    await overnight.schedule(plan, 'A kettle', 'medium');
    expect((submitBatch.mock.calls[2] as unknown as [BatchItem[], string])[1]).not.toBe(first[1]);
    const other = buildPlan({ selection: { targets: [frame('3', true)], skipped: [] }, pinned: [], choice, promptChars: 8, prompt: 'A towel' });
    submitBatch.mockImplementationOnce(async () => Promise.reject(new TypeError('Failed to fetch')));
    await overnight.schedule(other, 'A towel', 'medium');
    await overnight.schedule(plan, 'A kettle', 'medium');
    expect((submitBatch.mock.calls[4] as unknown as [BatchItem[], string])[1]).not.toBe((submitBatch.mock.calls[3] as unknown as [BatchItem[], string])[1]);
  });

  it('keeps the unanswered scheduling for the next panel: resumed there, the same plan goes under the same key and ids', async () => {
    const lost = vi.fn(async () => Promise.reject(new TypeError('Failed to fetch')));
    const first = setup({ submitBatch: lost });
    const plan = buildPlan({ selection: { targets: [frame('1', true), frame('2', true)], skipped: [] }, pinned: [], choice, promptChars: 8, prompt: 'A kettle' });
    await first.overnight.schedule(plan, 'A kettle', 'medium');
    const saved = first.overnight.unanswered.value;
    expect(saved).toMatchObject({ key: (lost.mock.calls[0] as unknown as [BatchItem[], string])[1].replace(/\.0$/, ''), ids: (lost.mock.calls[0] as unknown as [BatchItem[], string])[0].map((i) => i.id) });

    // The panel is closed and opened again: a new model, the draft's copy resumed.
    const submitBatch = vi.fn(async (items: BatchItem[]) => batchOf(items.map((i) => ({ id: i.id, status: 'pending' })), 'in_progress'));
    const next = setup({ submitBatch }, undefined, 'next'); // this panel's own ids would differ
    next.overnight.resume(JSON.parse(JSON.stringify(saved)));
    await next.overnight.schedule(plan, 'A kettle', 'medium');
    const [items, key] = submitBatch.mock.calls[0] as unknown as [BatchItem[], string];
    expect(key).toBe(`${saved!.key}.0`);
    expect(items.map((i) => i.id)).toEqual(saved!.ids);
    expect(next.overnight.unanswered.value).toBeNull();
  });

  it('starts afresh after the backend says the key holds other items (the canvas changed since)', async () => {
    let calls = 0;
    const submitBatch = vi.fn(async (items: BatchItem[]) => {
      calls++;
      if (calls === 1) throw new TypeError('Failed to fetch');
      if (calls === 2) throw new BackendError('This Idempotency-Key was used with other items', { kind: 'http', url: 'http://x', status: 409, code: 'idempotency_key_reused', type: null, param: null, retryAfterS: null });
      return batchOf(items.map((i) => ({ id: i.id, status: 'pending' })), 'in_progress');
    });
    const { overnight } = setup({ submitBatch });
    const plan = buildPlan({ selection: { targets: [frame('1', true)], skipped: [] }, pinned: [], choice, promptChars: 8, prompt: 'A kettle' });
    for (let i = 0; i < 3; i++) await overnight.schedule(plan, 'A kettle', 'medium');
    const keys = submitBatch.mock.calls.map((call) => (call as unknown as [BatchItem[], string])[1]);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(overnight.status.value).toMatch(/^Scheduled 1 image overnight/);
  });

  it('says why when the backend refuses, and records nothing', async () => {
    const { overnight, emitted } = setup({ submitBatch: async () => Promise.reject(new Error('budget exceeded')) });
    const plan = buildPlan({ selection: { targets: [frame('2', true)], skipped: [] }, pinned: [], choice, promptChars: 8, prompt: 'A kettle' });
    await overnight.schedule(plan, 'A kettle', 'medium');
    expect(overnight.status.value).toMatch(/^Couldn't schedule the overnight run/);
    expect(emitted.some((m) => m.type === 'schedule-batch')).toBe(false);
  });
});

describe('collecting on open', () => {
  const record: ScheduledBatch = {
    id: 'fb_1', createdAt: 0, discount: 0.5, reservedUsd: 0.05, nowUsd: 0.1,
    items: ['a', 'b'].map((id) => ({ id, kind: 'generate' as const, targetId: id, targetName: id, place: null, prompt: 'A kettle', model: 'gpt-image-2', tier: 'medium' as const, size: '1024x1024', variations: 1, referenceIds: [] })),
  };

  it('places from the stored results, then adds one History entry at the batch cost', async () => {
    const result = vi.fn(async () => ({ status: 'done', result: { images: [B64], costUsd: null, model: 'gpt-image-2' } }));
    const { overnight, emitted, placed } = setup({ batch: async () => batchOf([{ id: 'a', status: 'succeeded' }, { id: 'b', status: 'succeeded' }]), result });
    await overnight.load([record], []);
    expect(placed).toHaveLength(2);
    expect(placed[0]).toMatchObject({ type: 'place-scheduled', itemId: 'a', provenance: { requestId: 'a', costUsd: 0.02 } });
    const entries = emitted.filter((m) => m.type === 'add-history');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ entry: { id: 'fb_1', costUsd: 0.04, variations: 2, overnight: true } });
    expect(overnight.status.value).toBe('2 overnight images placed');
    expect(overnight.batches.value).toEqual([]);
  });

  it('says an image made and charged but no longer kept by the backend was charged, never "not charged"', async () => {
    const answers: Record<string, unknown> = { a: { status: 'done', result: { images: [B64], costUsd: null, model: 'gpt-image-2' } }, b: { status: 'gone', notKept: true } };
    const { overnight, placed, emitted } = setup({ batch: async () => batchOf([{ id: 'a', status: 'succeeded' }, { id: 'b', status: 'succeeded' }]), result: async (id: string) => answers[id] });
    await overnight.load([record], []);
    expect(placed).toHaveLength(1);
    expect(overnight.status.value).toBe('1 overnight image placed · 1 overnight image was made and charged, but the backend no longer has it (it ran out of room for results — tell whoever runs it)');
    expect(emitted).toContainEqual({ type: 'drop-scheduled', batchId: 'fb_1', itemIds: ['b'] });
  });

  it("adds a split Run's batches to one History entry, whichever order they finish in", async () => {
    const run = (id: string, items: string[]): ScheduledBatch => ({ ...record, id, run: 'run-key', items: items.map((i) => ({ ...record.items[0]!, id: i, targetId: i })) });
    const views: Record<string, Batch> = {
      fb_1: { ...batchOf([{ id: 'a', status: 'succeeded' }, { id: 'b', status: 'succeeded' }]), id: 'fb_1' },
      fb_2: { ...batchOf([{ id: 'c', status: 'succeeded' }]), id: 'fb_2', cost_usd: 0.02 },
    };
    const result = async () => ({ status: 'done', result: { images: [B64], costUsd: null, model: 'gpt-image-2' } });
    const { overnight, emitted } = setup({ batch: async (id: string) => views[id], result });
    await overnight.load([run('fb_1', ['a', 'b']), run('fb_2', ['c'])], []);
    const entries = emitted.flatMap((m) => (m.type === 'add-history' ? [m.entry] : []));
    expect(entries.map((e) => e.id)).toEqual(['run-key', 'run-key']); // the second replaces the first
    expect(entries[1]).toMatchObject({ costUsd: 0.06, variations: 3, overnight: true });
    expect(entries[1]!.images).toHaveLength(3);
  });

  it('places nothing this user placed before, and asks for no result', async () => {
    const result = vi.fn();
    const { overnight, placed, emitted } = setup({ batch: async () => batchOf([{ id: 'a', status: 'succeeded' }, { id: 'b', status: 'succeeded' }]), result });
    await overnight.load([record], ['a', 'b']);
    expect(result).not.toHaveBeenCalled();
    expect(placed).toEqual([]);
    expect(emitted).toContainEqual({ type: 'drop-scheduled', batchId: 'fb_1', itemIds: ['a', 'b'] });
  });

  it('keeps a batch still running on the list, and lands it when a later look finds it done', async () => {
    const answers = [batchOf([{ id: 'a', status: 'pending' }, { id: 'b', status: 'pending' }], 'in_progress'), batchOf([{ id: 'a', status: 'succeeded' }, { id: 'b', status: 'succeeded' }])];
    const result = vi.fn(async () => ({ status: 'done', result: { images: [B64], costUsd: null, model: null } }));
    const { overnight, placed, emitted } = setup({ batch: async () => answers.shift(), result });
    await overnight.load([record], []);
    expect(placed).toEqual([]);
    expect(overnight.batches.value.map((b) => b.view?.status)).toEqual(['in_progress']);
    await overnight.refresh();
    // Each look also has the sandbox put back a batch an Undo took out of the file.
    expect(emitted).toContainEqual({ type: 'reconcile-scheduled' });
    expect(placed).toHaveLength(2);
    expect(overnight.batches.value).toEqual([]);
    await overnight.refresh(); // nothing left to look at
    expect(answers).toEqual([]);
  });
});
