import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SandboxToUi, Target, UiToSandbox } from '../../plugin/messages';
import { TEST_SETTINGS, fakeImageOps, initMessage } from '../test/harness';
import { modelList } from '../test/model-list';
import { PanelModel, type PanelDeps } from './panel-model';
import { SAVE_DELAY_MS } from './settings-saver';

/** A model wired to a fake sandbox: what it posts is recorded, `receive` delivers a message. */
function setup(loadModels = vi.fn<NonNullable<PanelDeps['loadModels']>>(async () => modelList())) {
  const sent: UiToSandbox[] = [];
  let deliver: (raw: unknown) => void = () => undefined;
  const panel = new PanelModel({
    transport: { send: (m) => sent.push(m as UiToSandbox), listen: (handler) => ((deliver = handler), () => undefined) },
    imageOps: fakeImageOps,
    loadModels,
  });
  const receive = async (message: SandboxToUi) => {
    deliver(message);
    await Promise.resolve(); // the channel hands messages on in a microtask
  };
  const saves = () => sent.filter((m) => m.type === 'save-settings');
  return { panel, sent, receive, saves, loadModels };
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A backend that never answers (until the run is cancelled): runs start, nothing leaves the machine. */
const silentBackend = () => {
  const fetchMock = vi.fn((_url: unknown, init?: RequestInit) => new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
};

describe('panel model', () => {
  it('says why Run is unavailable: until init, without a prompt, with a bad custom size', async () => {
    const { panel, receive } = setup();
    expect(panel.blocked.value).toBe('Connecting to Figma…');
    await receive(initMessage());
    expect(panel.blocked.value).toBe('Write a prompt to run.');
    panel.setPrompt('   ');
    expect(panel.blocked.value).toBe('Write a prompt to run.');
    panel.setPrompt('A red fox in snow');
    expect(panel.blocked.value).toBeNull();
    panel.choose({ sizeMode: 'custom', customWidth: 1000 });
    expect(panel.blocked.value).toMatch(/divisible by 16/);
    panel.choose({ customWidth: 1536 });
    expect(panel.blocked.value).toBeNull();
    panel[Symbol.dispose]();
  });

  it('applies HD only where it means something (not to an exact custom size)', async () => {
    const { panel, receive } = setup();
    await receive(initMessage());
    panel.choose({ hd: true });
    expect(panel.hd.value).toBe(true);
    panel.choose({ sizeMode: 'custom' });
    expect(panel.hd.value).toBe(false);
    panel[Symbol.dispose]();
  });

  it('keeps the plan and its estimate in step with the selection and the form', async () => {
    const { panel, receive } = setup();
    await receive(initMessage());
    expect(panel.plan.value.text).toBe('New image at the viewport centre · 1 image · ≈ $0.06');
    const frame = (id: string) => ({ id, name: `Frame ${id}`, type: 'FRAME' as const, width: 1024, height: 1024, empty: true, maskId: null });
    await receive({ type: 'selection', selection: { targets: [frame('1'), frame('2')], skipped: [] } });
    panel.choose({ variations: 2, tier: 'low' });
    expect(panel.plan.value.text).toMatch(/^Fill 2 empty frames · 4 images · ≈ \$0\.0\d$/);
    panel[Symbol.dispose]();
  });

  it('points to Settings only once init has shown there is no token', async () => {
    const { panel, receive } = setup();
    expect(panel.tokenMissing.value).toBe(false);
    await receive(initMessage({ settings: { ...TEST_SETTINGS, accessToken: '' } }));
    expect(panel.tokenMissing.value).toBe(true);
    panel.saveConnection(TEST_SETTINGS.backendUrl, 'ff_token');
    expect(panel.tokenMissing.value).toBe(false);
    panel[Symbol.dispose]();
  });

  it('saves form choices once they settle, never the defaults before init, never the same twice', async () => {
    vi.useFakeTimers();
    const { panel, receive, saves } = setup();
    panel.choose({ tier: 'high' });
    vi.advanceTimersByTime(SAVE_DELAY_MS * 2);
    expect(saves()).toEqual([]);
    await receive(initMessage());
    vi.advanceTimersByTime(SAVE_DELAY_MS * 2);
    expect(saves()).toEqual([]); // what init brought is stored already
    panel.choose({ tier: 'low' });
    vi.advanceTimersByTime(SAVE_DELAY_MS / 2);
    panel.choose({ variations: 3 });
    vi.advanceTimersByTime(SAVE_DELAY_MS - 1);
    expect(saves()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(saves().map((m) => m.settings)).toEqual([{ ...TEST_SETTINGS, tier: 'low', variations: 3 }]);
    panel.saveConnection(TEST_SETTINGS.backendUrl, TEST_SETTINGS.accessToken);
    vi.advanceTimersByTime(SAVE_DELAY_MS * 2);
    expect(saves()).toHaveLength(1);
    panel[Symbol.dispose]();
  });

  it('fills the form from a history entry and goes to the Create tab', async () => {
    const { panel, receive } = setup();
    await receive(initMessage());
    panel.setTab('history');
    panel.rerun({ id: 'h1', prompt: 'A mug', tier: 'high', size: '1536x1024', model: 'gpt-image-2', variations: 9, costUsd: 0.2, createdAt: 1, nodeIds: [], imageHash: null, thumbnail: null });
    expect(panel.tab.value).toBe('create');
    expect(panel.prompt.value).toBe('A mug');
    expect(panel.settings.value).toMatchObject({ tier: 'high', sizeMode: 'custom', customWidth: 1536, customHeight: 1024, variations: 4 });
    // an overnight Run's six images are six frames, one each: its re-run is not six variations a frame
    panel.rerun({ id: 'run-1', prompt: 'A tile', tier: 'low', size: '1024x1024', model: 'gpt-image-2', variations: 6, costUsd: 0.02, createdAt: 1, nodeIds: [], imageHash: null, thumbnail: null, overnight: true, made: 60 });
    expect(panel.settings.value).toMatchObject({ tier: 'low', variations: 1 });
    panel[Symbol.dispose]();
  });

  it('applies a Re-run size to that run only: the next frame is back on the user\'s size mode, and it is never stored', async () => {
    vi.useFakeTimers();
    silentBackend();
    const { panel, receive, saves } = setup();
    await receive(initMessage({ settings: { ...TEST_SETTINGS, sizeMode: '16:9' } }));
    panel.rerun({ id: 'h1', prompt: 'A mug', tier: 'high', size: '992x672', model: 'gpt-image-2', variations: 1, costUsd: 0.2, createdAt: 1, nodeIds: [], imageHash: null, thumbnail: null });
    expect(panel.settings.value).toMatchObject({ sizeMode: 'custom', customWidth: 992, customHeight: 672, tier: 'high' });
    vi.advanceTimersByTime(SAVE_DELAY_MS * 2);
    expect(saves().at(-1)?.settings).toMatchObject({ sizeMode: '16:9', tier: 'high' });
    panel.run();
    expect(panel.runState.value.jobs[0]!.spec.size).toBe('992x672');
    expect(panel.settings.value.sizeMode).toBe('16:9');
    panel.cancel();
    panel[Symbol.dispose]();
  });

  it('keeps a Re-run size the user then edits, as their own choice', async () => {
    silentBackend();
    const { panel, receive } = setup();
    await receive(initMessage());
    panel.rerun({ id: 'h1', prompt: 'A mug', tier: 'high', size: '992x672', model: 'gpt-image-2', variations: 1, costUsd: 0.2, createdAt: 1, nodeIds: [], imageHash: null, thumbnail: null });
    panel.choose({ customWidth: 1024 });
    expect(panel.settings.value).toMatchObject({ sizeMode: 'custom', customWidth: 1024, customHeight: 672 });
    panel.setPrompt('A mug, again');
    panel.run();
    expect(panel.settings.value).toMatchObject({ sizeMode: 'custom', customWidth: 1024 });
    panel.cancel();
    panel[Symbol.dispose]();
  });

  it('brings the draft prompt back from init and saves what is typed once typing settles', async () => {
    vi.useFakeTimers();
    const { panel, receive, sent } = setup();
    await receive(initMessage({ draft: { prompt: 'Half-written idea' } }));
    expect(panel.prompt.value).toBe('Half-written idea');
    vi.advanceTimersByTime(SAVE_DELAY_MS * 2);
    expect(sent.filter((m) => m.type === 'save-draft')).toEqual([]); // already stored
    panel.setPrompt('Half-written idea, finished');
    vi.advanceTimersByTime(SAVE_DELAY_MS);
    expect(sent.filter((m) => m.type === 'save-draft')).toEqual([{ type: 'save-draft', draft: { prompt: 'Half-written idea, finished', lockLook: false, when: 'now' } }]);
    panel[Symbol.dispose]();
  });

  it('brings Lock the look and When back with the draft, and saves them when they change (issue 13 item 6)', async () => {
    vi.useFakeTimers();
    const { panel, receive, sent } = setup();
    await receive(initMessage({ draft: { prompt: 'Six product shots', lockLook: true, when: 'overnight' } }));
    expect(panel.look.on.value).toBe(true);
    expect(panel.when.value).toBe('overnight');
    panel.look.setOn(false);
    panel.setWhen('now');
    vi.advanceTimersByTime(SAVE_DELAY_MS);
    expect(sent.filter((m) => m.type === 'save-draft').map((m) => m.type === 'save-draft' && m.draft)).toEqual([{ prompt: 'Six product shots', lockLook: false, when: 'now' }]);
    panel[Symbol.dispose]();
  });

  it('loads a draft saved before the choices were kept: Now, the look unlocked', async () => {
    const { panel, receive } = setup();
    await receive(initMessage({ draft: { prompt: 'An old draft' } }));
    expect(panel.prompt.value).toBe('An old draft');
    expect([panel.when.value, panel.look.on.value]).toEqual(['now', false]);
    panel[Symbol.dispose]();
  });

  it("runs a History Re-run Now even with Overnight kept, for that run only: the user's When comes back and stays stored", async () => {
    vi.useFakeTimers();
    silentBackend();
    const { panel, receive, sent } = setup();
    await receive(initMessage({ draft: { prompt: '', when: 'overnight' } }));
    panel.rerun({ id: 'h1', prompt: 'A mug', tier: 'low', size: '992x672', model: 'gpt-image-2', variations: 1, costUsd: 0.2, createdAt: 1, nodeIds: [], imageHash: null, thumbnail: null });
    expect(panel.when.value).toBe('now');
    panel.run();
    expect(panel.runState.value.jobs).toHaveLength(1); // a run Now, not a batch
    expect(panel.overnight.scheduling.value).toBe(false);
    expect(panel.when.value).toBe('overnight');
    vi.advanceTimersByTime(SAVE_DELAY_MS * 2);
    expect(sent.filter((m) => m.type === 'save-draft').every((m) => m.type === 'save-draft' && m.draft.when === 'overnight')).toBe(true);
    panel.cancel();
    panel[Symbol.dispose]();
  });

  it('asks before Finalize and the bulk Re-run above the threshold, once; Cancel spends nothing (issue 14)', async () => {
    const fetchMock = silentBackend();
    const { panel, receive } = setup();
    await receive(initMessage({ settings: { ...TEST_SETTINGS, confirmAboveUsd: 0.3 } }));
    const draft = (id: string) => ({ id, name: `Photo ${id}`, width: 1024, height: 1024, provenance: { prompt: 'A copper kettle', tier: 'low' as const, size: '1024x1024', model: 'gpt-image-2', costUsd: 0.01, createdAt: 1, referenceIds: [], requestId: `r${id}` } });
    const images = [draft('1:1'), draft('1:2')];
    await receive({ type: 'framefill-images', selected: images, onPage: images });
    const finalizeUsd = panel.finalize.finalizePlan.value.totalUsd;
    expect(finalizeUsd).toBeGreaterThan(0.3); // two finals at High
    panel.finalize.finalize();
    expect(panel.finalize.question.value).toEqual({ what: 'finalize', usd: finalizeUsd });
    expect(panel.confirming.value).toBeNull(); // the run bar isn't the one asking
    panel.finalize.dismiss();
    expect(panel.finalize.question.value).toBeNull();
    expect(panel.runState.value.jobs).toEqual([]);
    // the bulk Re-run asks about its own total
    panel.finalize.rerun();
    expect(panel.finalize.question.value).toEqual({ what: 'rerun', usd: panel.finalize.rerunPlan.value.totalUsd });
    panel.finalize.goAnyway();
    expect(panel.finalize.question.value).toBeNull();
    expect(panel.runState.value.jobs.map((j) => j.spec.kind)).toEqual(['generate', 'generate']);
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    panel.cancel();
    panel[Symbol.dispose]();
  });

  it('asks the backend for its models once connected, again only when the backend or token changes', async () => {
    const { panel, receive, loadModels } = setup();
    expect(panel.models.value.map((m) => m.id)).toEqual(['gpt-image-2']); // before init: the built-in default
    await receive(initMessage());
    await vi.waitFor(() => expect(panel.models.value).toHaveLength(3));
    expect(loadModels).toHaveBeenCalledTimes(1);
    expect(loadModels.mock.calls[0]![0]).toEqual({ backendUrl: TEST_SETTINGS.backendUrl, accessToken: TEST_SETTINGS.accessToken });
    panel.choose({ tier: 'high', variations: 2 });
    expect(loadModels).toHaveBeenCalledTimes(1);
    panel.saveConnection('https://other.example.test', 'ff_other');
    expect(loadModels).toHaveBeenCalledTimes(2);
    expect(loadModels.mock.calls[1]![0]).toEqual({ backendUrl: 'https://other.example.test', accessToken: 'ff_other' });
    panel[Symbol.dispose]();
  });

  it('keeps a stored model the backend does not list, and runs its default meanwhile', async () => {
    const { panel, receive } = setup(vi.fn<NonNullable<PanelDeps['loadModels']>>(async () => modelList(['gpt-image-2', 'gpt-image-2.5-flare'])));
    await receive(initMessage({ settings: { ...TEST_SETTINGS, model: 'gpt-image-2.5-sunburst', tier: 'max' } }));
    await vi.waitFor(() => expect(panel.models.value).toHaveLength(2));
    expect([panel.model.value.id, panel.tier.value]).toEqual(['gpt-image-2', 'high']);
    expect(panel.plan.value.jobs[0]).toMatchObject({ model: 'gpt-image-2' });
    expect(panel.settings.value).toMatchObject({ model: 'gpt-image-2.5-sunburst', tier: 'max' });
    panel[Symbol.dispose]();
  });

  it('prices Overnight at the discount the backend lists, before any batch has run (issue 16)', async () => {
    const list = modelList(['gpt-image-2']);
    list.data[0]!.framefill = { ...list.data[0]!.framefill!, batch_discount: 0.6 };
    const { panel, receive } = setup(vi.fn<NonNullable<PanelDeps['loadModels']>>(async () => list));
    await receive(initMessage({ selection: { targets: [{ id: '1:1', name: 'Hero', type: 'FRAME', width: 1024, height: 1024, empty: true, maskId: null }], skipped: [] } }));
    await vi.waitFor(() => expect(panel.overnight.discount.value).toBe(0.6));
    panel[Symbol.dispose]();
  });

  it('takes up to 200 layers Overnight where Now takes 50, and selects that many placeholders (issue 16)', async () => {
    const { panel, receive, sent } = setup();
    const targets = Array.from({ length: 60 }, (_, i) => ({ id: `1:${i}`, name: `Tile ${i}`, type: 'FRAME' as const, width: 400, height: 300, empty: true, maskId: null }));
    await receive(initMessage({ selection: { targets, skipped: [], emptyInside: { frames: 120, shapes: 0 } } }));
    panel.setPrompt('A glazed tile, top-down');
    expect(panel.blocked.value).toBe('Select at most 50 layers per run (60 are selected) — or run them Overnight, which takes up to 200.');
    panel.selectEmptyInside();
    panel.setWhen('overnight');
    expect(panel.blocked.value).toBeNull();
    expect(panel.plan.value.jobs).toHaveLength(60);
    panel.selectEmptyInside();
    expect(sent.filter((m) => m.type === 'select-empty-inside')).toEqual([
      { type: 'select-empty-inside', max: 50 },
      { type: 'select-empty-inside', max: 200 },
    ]);
    panel[Symbol.dispose]();
  });

  it('stops listening to the sandbox when disposed', async () => {
    const { panel, receive } = setup();
    panel[Symbol.dispose]();
    await receive(initMessage());
    expect(panel.initialized.value).toBe(false);
  });
});

describe('panel model: the edit tools (issue 15)', () => {
  const image = { hash: 'img-1', width: 1024, height: 1024, scaleMode: 'FILL' as const, framefill: true, prompt: 'A red fox in snow', originals: 0 };
  const hero = (over: Partial<Target> = {}): Target => ({ id: '1:2', name: 'Hero', type: 'FRAME', width: 1600, height: 900, empty: false, maskId: null, image, ...over });
  const select = (...targets: Target[]): SandboxToUi => ({ type: 'selection', selection: { targets, skipped: [] } });

  it('offers the tools for one selected image, prefilled from its prompt, and runs the chosen one as one job', async () => {
    const fetchMock = silentBackend();
    const { panel, receive, sent } = setup();
    await receive(initMessage());
    expect(panel.tools.target.value).toBeNull();
    await receive(select(hero(), hero({ id: '1:3' })));
    expect(panel.tools.target.value).toBeNull();
    await receive(select(hero()));
    expect(panel.tools.tool.value).toBe('expand');
    expect(panel.tools.prompt.value).toMatch(/^A red fox in snow\. Continue the scene/);
    expect(panel.tools.blocked.value).toBeNull();
    panel.tools.setPrompt('The snowy forest goes on, low winter sun');
    panel.tools.choose('upscale');
    expect(panel.tools.plan.value).toMatchObject({ tier: 'high', size: { text: '2048x2048' } });
    panel.tools.choose('expand');
    expect(panel.tools.prompt.value).toBe('The snowy forest goes on, low winter sun'); // kept per tool
    panel.tools.run();
    expect(panel.runState.value.jobs).toHaveLength(1);
    expect(panel.runState.value.jobs[0]!.spec).toMatchObject({ kind: 'edit', prompt: 'The snowy forest goes on, low winter sun', size: '1600x912', tool: { tool: 'expand', parentHash: 'img-1' } });
    await vi.waitFor(() => expect(sent.some((m) => m.type === 'export-image')).toBe(true));
    expect(sent.find((m) => m.type === 'export-image')).toMatchObject({ nodeId: '1:2', source: 'image', area: false });
    expect(panel.tools.blocked.value).toBe('A run is going.');
    panel.cancel();
    expect(fetchMock).not.toHaveBeenCalled(); // the export was never answered: nothing was sent
    panel[Symbol.dispose]();
  });

  it('Select area makes the area layer; then the edit needs a prompt saying what goes there', async () => {
    const { panel, receive, sent } = setup();
    await receive(initMessage({ selection: { targets: [hero()], skipped: [] } }));
    panel.tools.choose('area');
    expect(panel.tools.blocked.value).toMatch(/Select area first/);
    panel.tools.selectArea();
    expect(sent.filter((m) => m.type === 'create-area')).toEqual([{ type: 'create-area', targetId: '1:2' }]);
    await receive(select(hero({ areaId: '7:1' })));
    expect(panel.tools.prompt.value).toBe('');
    expect(panel.tools.blocked.value).toBe('Say what goes in the area.');
    // reopened with the area selected: the tools open on it
    const again = setup();
    await again.receive(initMessage({ selection: { targets: [hero({ areaId: '7:1' })], skipped: [] } }));
    expect(again.panel.tools.tool.value).toBe('area');
    again.panel[Symbol.dispose]();
    panel.tools.setPrompt('A ceramic vase of dried flowers');
    expect(panel.tools.blocked.value).toBeNull();
    panel[Symbol.dispose]();
  });

  it('discards the kept originals only when there are some', async () => {
    const { panel, receive, sent } = setup();
    await receive(initMessage({ selection: { targets: [hero()], skipped: [] } }));
    panel.tools.discardOriginals();
    await receive(select(hero({ image: { ...image, originals: 2 } })));
    panel.tools.discardOriginals();
    expect(sent.filter((m) => m.type === 'discard-originals')).toEqual([{ type: 'discard-originals', targetId: '1:2' }]);
    panel[Symbol.dispose]();
  });

  it('a relaunch button opens its tool with the prompt prefilled and never runs at once', async () => {
    silentBackend();
    const { panel, receive } = setup();
    await receive(initMessage({ selection: { targets: [hero()], skipped: [] }, draft: { prompt: 'My draft' }, prefill: { prompt: 'A red fox at dusk', tool: 'upscale', autoRun: true } }));
    expect(panel.tools.tool.value).toBe('upscale');
    expect(panel.tools.prompt.value).toMatch(/^A red fox at dusk\. The same image at a higher resolution/);
    expect(panel.prompt.value).toBe('My draft'); // the Create prompt is left alone
    expect(panel.runState.value.jobs).toEqual([]);
    panel[Symbol.dispose]();
  });
});
