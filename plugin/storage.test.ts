import { describe, expect, it } from 'vitest';
import { createNodeFakeFigma, type FakeFigma } from '../test/fake-figma/node';
import { checkOutboundAfterEach, launch } from '../test/fake-figma/launch';
import { STORAGE_KEYS, MAX_PENDING } from './storage';
import { HISTORY_LIMITS, capHistory, serializedBytes } from './history-budget';
import { pngOf } from '../test/support/images';
import type { HistoryEntry, PendingRun, Settings } from './messages';

let fake: FakeFigma;
checkOutboundAfterEach(() => fake); // every message sent must satisfy the panel's contract

const entry = (i: number, over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: `h${i}`,
  prompt: `Prompt number ${i}`,
  tier: 'low',
  size: '1024x1024',
  model: 'gpt-image-2',
  variations: 1,
  costUsd: 0.006,
  createdAt: 1_700_000_000_000 + i,
  nodeIds: ['1:2'],
  imageHash: 'a'.repeat(40),
  thumbnail: new Uint8Array(6 * 1024).fill(i % 256),
  ...over,
});
const run = (i: number): PendingRun => ({
  requestId: `req-${i}`,
  kind: 'generate',
  targetId: null,
  targetName: '',
  prompt: `p${i}`,
  tier: 'medium',
  size: '1024x1024',
  variations: 1,
  referenceIds: [],
  startedAt: 1_700_000_000_000 + i,
});

describe('settings', () => {
  it('start from the defaults', async () => {
    fake = createNodeFakeFigma();
    const { init } = await launch(fake);
    expect(init.settings).toEqual({
      backendUrl: 'http://localhost:8787',
      accessToken: '',
      tier: 'medium',
      sizeMode: 'auto',
      customWidth: 1024,
      customHeight: 1024,
      hd: false,
      variations: 1,
      model: 'gpt-image-2',
      transparent: false,
      confirmAboveUsd: 1,
    });
    expect(init).toMatchObject({ history: [], pending: [], prefill: null });
  });

  it('stored before the model picker load whole, with the default model and an opaque background, and quietly', async () => {
    fake = createNodeFakeFigma();
    const before = { backendUrl: 'https://ff.acme.test', accessToken: 'ff_team', tier: 'high', sizeMode: '16:9', customWidth: 1024, customHeight: 1024, hd: true, variations: 2 };
    fake.clientStorage.raw.set(STORAGE_KEYS.settings, before);
    const { init, logs } = await launch(fake);
    expect(init.settings).toEqual({ ...before, model: 'gpt-image-2', transparent: false, confirmAboveUsd: 1 });
    expect(logs.join('\n')).not.toMatch(/invalid/);
  });

  it('keep the chosen model and transparency across a reopen', async () => {
    fake = createNodeFakeFigma();
    const { init } = await launch(fake);
    const settings: Settings = { ...init.settings, model: 'gpt-image-2.5-flare', tier: 'xhigh', transparent: true };
    await fake.deliver({ type: 'save-settings', settings });
    await fake.settle();
    fake.close();
    fake.reopen();
    expect((await launch(fake)).init.settings).toEqual(settings);
  });

  it('survive closing and reopening the plugin', async () => {
    fake = createNodeFakeFigma();
    const { init } = await launch(fake);
    const settings: Settings = { ...init.settings, accessToken: 'ff_team_token', tier: 'high', hd: true, variations: 3 };
    await fake.deliver({ type: 'save-settings', settings });
    await fake.settle();
    expect(fake.clientStorage.raw.get(STORAGE_KEYS.settings)).toEqual(settings);
    fake.close();
    const reopened = await fake.request({ type: 'ready' }, 'init', 300).catch(() => null);
    expect(reopened).toBeNull(); // closed: nobody answers

    // Run again from the menu: same document, same clientStorage.
    fake.reopen();
    expect((await launch(fake)).init.settings).toEqual(settings);
  }, 20_000);

  it('fall back to defaults when corrupted, keeping any field still valid, and say so in the log', async () => {
    fake = createNodeFakeFigma();
    fake.clientStorage.raw.set(STORAGE_KEYS.settings, { accessToken: 'keep-me', tier: 'ultra', variations: 99, hd: 'yes' });
    const { init, logs } = await launch(fake);
    expect(init.settings).toMatchObject({ accessToken: 'keep-me', tier: 'medium', variations: 1, hd: false });
    expect(logs.join('\n')).toMatch(/stored settings are invalid/);

    const junk = createNodeFakeFigma();
    junk.clientStorage.raw.set(STORAGE_KEYS.settings, 'not an object');
    fake = junk;
    expect((await launch(fake)).init.settings.tier).toBe('medium');
  });

  it('ignore values written under an older schema version', async () => {
    fake = createNodeFakeFigma();
    fake.clientStorage.raw.set('framefill.v0.settings', { apiKey: 'sk-old', quality: 'hd' });
    expect((await launch(fake)).init.settings.accessToken).toBe('');
  });
});

describe('history', () => {
  it('is added newest first and cleared', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    await fake.request({ type: 'add-history', entry: entry(1) }, 'history');
    const reply = await fake.request({ type: 'add-history', entry: entry(2) }, 'history');
    expect(reply.history.map((e: HistoryEntry) => e.id)).toEqual(['h2', 'h1']);
    expect(reply.history[0].thumbnail).toBeInstanceOf(Uint8Array);
    const cleared = await fake.request({ type: 'clear-history' }, 'history');
    expect(cleared.history).toEqual([]);
    expect(fake.clientStorage.raw.get(STORAGE_KEYS.history)).toEqual([]);
  });

  it('keeps every image of a run as a Figma image, placed or not, and marks one placed later', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    const images = [{ imageHash: null, thumbnail: null, placed: false }, { imageHash: null, thumbnail: null, placed: false }];
    const bytes = [new Uint8Array(pngOf(32, 32, 1)), new Uint8Array(pngOf(32, 32, 2))];
    const added = await fake.request({ type: 'add-history', entry: entry(1, { id: 'run-1', imageHash: null, thumbnail: null, images }), images: bytes }, 'history');
    const hashes = (added.history[0] as HistoryEntry).images!.map((i) => i.imageHash);
    expect(hashes.every((h) => typeof h === 'string' && fake.figma.getImageByHash(h!) !== null)).toBe(true);
    expect(new Set(hashes).size).toBe(2);
    const placed = await fake.request({ type: 'history-placed', id: 'run-1', index: 1 }, 'history');
    expect((placed.history[0] as HistoryEntry).images!.map((i) => i.placed)).toEqual([false, true]);
    expect((fake.clientStorage.raw.get(STORAGE_KEYS.history) as HistoryEntry[])[0]!.images![1]!.placed).toBe(true);
  });

  it('stays within its caps when filled: at most 100 entries, no thumbnail over 16 KB, newest kept', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    let last: { history: HistoryEntry[] } | undefined;
    for (let i = 1; i <= 130; i++) {
      const big = i % 10 === 0 ? { thumbnail: new Uint8Array(40 * 1024) } : {};
      last = await fake.request({ type: 'add-history', entry: entry(i, big) }, 'history');
    }
    const stored = fake.clientStorage.raw.get(STORAGE_KEYS.history) as HistoryEntry[];
    expect(stored).toHaveLength(HISTORY_LIMITS.maxEntries);
    expect(stored[0]!.id).toBe('h130');
    expect(stored.at(-1)!.id).toBe('h31');
    expect(stored.every((e) => !e.thumbnail || e.thumbnail.byteLength <= 16 * 1024)).toBe(true);
    expect(stored.find((e) => e.id === 'h130')!.thumbnail).toBeNull(); // oversized thumbnail dropped, entry kept
    expect(last!.history.map((e) => e.id)).toEqual(stored.map((e) => e.id));
    expect(fake.clientStorage.bytesUsed()).toBeLessThan(5 * 1024 * 1024);
  }, 30_000);

  it('evicts the oldest to keep the serialized history under its byte budget', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    for (let i = 1; i <= 80; i++) {
      await fake.request({ type: 'add-history', entry: entry(i, { prompt: `${i} `.padEnd(32000, 'x'), thumbnail: new Uint8Array(15 * 1024) }) }, 'history');
    }
    const stored = fake.clientStorage.raw.get(STORAGE_KEYS.history) as HistoryEntry[];
    expect(serializedBytes(stored)).toBeLessThanOrEqual(HISTORY_LIMITS.maxTotalBytes);
    expect(stored.length).toBeGreaterThan(30);
    expect(stored.length).toBeLessThan(80);
    expect(stored[0]!.id).toBe('h80');
    expect(stored.map((e) => e.id)).toEqual(Array.from({ length: stored.length }, (_, k) => `h${80 - k}`));
  }, 30_000);

  it('drops only the stored entries that no longer parse', async () => {
    fake = createNodeFakeFigma();
    fake.clientStorage.raw.set(STORAGE_KEYS.history, [entry(1), { id: 'broken', prompt: 42 }, entry(2)]);
    const { init, logs } = await launch(fake);
    expect(init.history.map((e) => e.id)).toEqual(['h2', 'h1']);
    expect(logs.join('\n')).toMatch(/dropped 1 invalid stored history/);
  });

  it('still answers when storage is full', async () => {
    fake = createNodeFakeFigma({ clientStorageQuota: 20 * 1024 });
    const { logs } = await launch(fake);
    let reply: { history: HistoryEntry[] } | undefined;
    for (let i = 1; i <= 5; i++) reply = await fake.request({ type: 'add-history', entry: entry(i) }, 'history');
    expect(reply!.history.length).toBeGreaterThan(0);
    expect(reply!.history[0]!.id).toBe('h5');
    expect(fake.clientStorage.bytesUsed()).toBeLessThanOrEqual(20 * 1024);
    expect(logs.join('\n')).toMatch(/could not save framefill\.v1\.history/);
  });
});

describe('capHistory (pure)', () => {
  it('orders by time, newest first, whatever order it was given', () => {
    expect(capHistory([entry(1), entry(3), entry(2)]).entries.map((e) => e.id)).toEqual(['h3', 'h2', 'h1']);
  });
});

describe('draft', () => {
  it('comes back with the panel, and a corrupted one is an empty prompt', async () => {
    fake = createNodeFakeFigma();
    expect((await launch(fake)).init.draft).toBeUndefined();
    await fake.deliver({ type: 'save-draft', draft: { prompt: 'A lighthouse at dusk' } });
    await fake.settle();
    fake.close();
    fake.reopen();
    expect((await launch(fake)).init.draft).toEqual({ prompt: 'A lighthouse at dusk' });
    fake.clientStorage.raw.set(STORAGE_KEYS.draft, { prompt: 42 });
    fake.close();
    fake.reopen();
    expect((await launch(fake)).init.draft).toBeUndefined();
  }, 20_000);

  it('keeps Lock the look and When with the prompt; a When it does not know is refused at the boundary', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    await fake.deliver({ type: 'save-draft', draft: { prompt: 'Six product shots', lockLook: true, when: 'overnight' } });
    await fake.settle();
    fake.close();
    fake.reopen();
    expect((await launch(fake)).init.draft).toEqual({ prompt: 'Six product shots', lockLook: true, when: 'overnight' });
    // a message the schema refuses never reaches storage
    await fake.deliver({ type: 'save-draft', draft: { prompt: 'Later', when: 'someday' } });
    await fake.settle();
    expect(fake.clientStorage.raw.get(STORAGE_KEYS.draft)).toEqual({ prompt: 'Six product shots', lockLook: true, when: 'overnight' });
    // stored with a When it can't read: the prompt still comes back, the choices at their defaults
    fake.clientStorage.raw.set(STORAGE_KEYS.draft, { prompt: 'Odd', lockLook: true, when: 'someday' });
    fake.close();
    fake.reopen();
    expect((await launch(fake)).init.draft).toEqual({ prompt: 'Odd' });
  }, 20_000);
});

describe('pending runs', () => {
  it('are kept until removed, across reopenings', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    await fake.request({ type: 'add-pending', run: run(1) }, 'pending');
    const two = await fake.request({ type: 'add-pending', run: run(2) }, 'pending');
    expect(two.pending.map((p: PendingRun) => p.requestId)).toEqual(['req-1', 'req-2']);
    const one = await fake.request({ type: 'remove-pending', requestId: 'req-1' }, 'pending');
    expect(one.pending.map((p: PendingRun) => p.requestId)).toEqual(['req-2']);

    const reopened = createNodeFakeFigma();
    reopened.clientStorage.raw.set(STORAGE_KEYS.pending, fake.clientStorage.raw.get(STORAGE_KEYS.pending));
    fake = reopened;
    expect((await launch(fake)).init.pending.map((p) => p.requestId)).toEqual(['req-2']);
  });

  it(`are capped at ${MAX_PENDING}, oldest out first`, async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    let last: { pending: PendingRun[] } | undefined;
    for (let i = 1; i <= MAX_PENDING + 5; i++) last = await fake.request({ type: 'add-pending', run: run(i) }, 'pending');
    expect(last!.pending).toHaveLength(MAX_PENDING);
    expect(last!.pending[0]!.requestId).toBe('req-6');
    expect(last!.pending.at(-1)!.requestId).toBe(`req-${MAX_PENDING + 5}`);
  });
});
