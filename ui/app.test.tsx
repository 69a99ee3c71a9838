// @vitest-environment happy-dom
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import { pngOf } from '../test/support/images';
import type { HistoryEntry, Target } from '../plugin/messages';
import { modelList, modelsResponse } from './test/model-list';
import { startApp as startWith, setupApp } from './test/app-harness';
import { TEST_SETTINGS, errorResponse, type fakeSandbox, initMessage, sandboxSends, serveModels, sseEvent, sseResponse, stubFetch } from './test/harness';

const PNG = pngOf(8, 8).toString('base64');
const completed = (cost = 0.05) => sseEvent('image_generation.completed', { b64_json: PNG, framefill: { cost_usd: cost, request_id: 'r', model: 'gpt-image-2' } });
const frame = (id: string, empty: boolean): Target => ({ id, name: `Frame ${id}`, type: 'FRAME', width: 1024, height: 1024, empty, maskId: null });

const app = setupApp();
let sandbox: ReturnType<typeof fakeSandbox>;
beforeEach(() => {
  sandbox = app.sandbox();
});

const startApp = (init = initMessage()) => startWith(sandbox, init);

const promptBox = () => screen.getByLabelText('Prompt') as HTMLTextAreaElement;
const typePrompt = (text: string) => fireEvent.input(promptBox(), { target: { value: text } });
const runButton = () => screen.getByRole('button', { name: 'Run' });

describe('prompt hints', () => {
  it('suggest saying what you want for negative phrasing and go away once fixed', async () => {
    await startApp();
    typePrompt('Mountain lake at dawn, no people');
    expect(await screen.findByText(/Say what you want instead of “no people”/)).toBeTruthy();
    typePrompt('Mountain lake at dawn, an empty shoreline');
    await waitFor(() => expect(screen.queryByText(/Say what you want instead/)).toBeNull());
  });

  it('puts camera chips after the subject and style chips at the end', async () => {
    await startApp();
    typePrompt('A ceramic mug');
    fireEvent.click(screen.getByRole('button', { name: 'watercolour' }));
    fireEvent.click(screen.getByRole('button', { name: 'golden hour' }));
    expect(promptBox().value).toBe('A ceramic mug, golden hour, watercolour');
    expect(screen.getByRole('button', { name: 'golden hour' }).getAttribute('aria-pressed')).toBe('true');
  });
});

describe('options and plan', () => {
  it('shows each tier with its price per image, medium selected', async () => {
    await startApp();
    const group = screen.getByRole('radiogroup', { name: 'Quality' });
    const radios = within(group).getAllByRole('radio');
    expect(radios.map((r) => r.textContent)).toEqual(['Low$0.006', 'Medium$0.053', 'High$0.211']);
    expect(within(group).getByRole('radio', { name: 'Medium, $0.053 per image' }).getAttribute('aria-checked')).toBe('true');
    // Medium streams two previews, each billed: said beside the prices, and in the plan's total
    expect(screen.getByText('per 1024² image + $0.006 for 2 previews')).toBeTruthy();
    fireEvent.keyDown(radios[1]!, { key: 'ArrowRight' });
    expect(within(group).getByRole('radio', { name: 'High, $0.211 per image' }).getAttribute('aria-checked')).toBe('true');
    fireEvent.click(radios[0]!);
    expect(screen.getByText('per 1024² image')).toBeTruthy();
    expect(screen.getByText('New image at the viewport centre · 1 image · ≈ $0.006')).toBeTruthy();
  });

  it('describes the run for the current selection and updates it live', async () => {
    await startApp();
    expect(screen.getByText('New image at the viewport centre · 1 image · ≈ $0.06')).toBeTruthy();
    sandboxSends({
      type: 'selection',
      selection: {
        targets: [frame('1', true), frame('2', true), frame('3', true), { ...frame('4', false), type: 'RECTANGLE' }],
        skipped: [{ id: 'g1', name: 'Group 7', type: 'GROUP', reason: "Groups can't hold an image fill — select a frame inside" }],
      },
    });
    expect(await screen.findByText(/^Fill 3 empty frames · restyle 1 layer · 4 images · ≈ \$0\.\d\d$/)).toBeTruthy();
    expect(screen.getByText('1 layer skipped')).toBeTruthy();
    expect(screen.getByText(/Groups can't hold an image fill/)).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: '2 variations' }));
    expect(await screen.findByText(/· 8 images ·/)).toBeTruthy();
  });

  it('validates a custom size inline and blocks the run', async () => {
    await startApp();
    typePrompt('A red fox in snow');
    fireEvent.click(screen.getByRole('radio', { name: 'Custom' }));
    fireEvent.input(screen.getByLabelText('Width in pixels'), { target: { value: '1000' } });
    // said once, beside Run (not also under the field and in the plan)
    await waitFor(() => expect(screen.getAllByText(/divisible by 16/)).toHaveLength(1));
    expect((runButton() as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(screen.getByLabelText('Width in pixels'), { target: { value: '1536' } });
    await waitFor(() => expect((runButton() as HTMLButtonElement).disabled).toBe(false));
  });

  it('snaps a custom size the model would refuse to the nearest valid one, with one note', async () => {
    await startApp();
    fireEvent.click(screen.getByRole('radio', { name: 'Custom' }));
    const width = screen.getByLabelText('Width in pixels') as HTMLInputElement;
    fireEvent.input(width, { target: { value: '10' } });
    fireEvent.blur(width);
    expect(await screen.findByText('10×1024 → 640×1024: gpt-image-2 needs at least 655,360 pixels.')).toBeTruthy();
    await waitFor(() => expect(width.value).toBe('640'));
    expect(screen.queryByText(/divisible by 16|at least 655,360 pixels are required/)).toBeNull();
    const height = screen.getByLabelText('Height in pixels') as HTMLInputElement;
    fireEvent.input(height, { target: { value: '1500' } });
    fireEvent.blur(height);
    await waitFor(() => expect(height.value).toBe('1504'));
    expect(screen.getByText('640×1500 → 640×1504: gpt-image-2 needs sides in steps of 16 px.')).toBeTruthy();
  });
});

describe('running', () => {
  it('shows the streamed preview and a ticking timer, and Cancel stops the run here and on the backend', async () => {
    const fetchMock = stubFetch((url, init) => {
      if (init.method === 'DELETE') return new Response(JSON.stringify({ object: 'framefill.result', id: url.split('/').pop(), status: 'cancelled' }));
      return sseResponse([sseEvent('image_generation.partial_image', { b64_json: PNG, partial_image_index: 0 })], true);
    });
    await startApp();
    typePrompt('A red fox in snow');
    fireEvent.click(runButton());
    expect(await screen.findByText('Refining…')).toBeTruthy();
    expect(screen.getByAltText('Preview of New image')).toBeTruthy();
    // the elapsed time ticks while the image is made
    expect(await screen.findByText(/1024×1024 · ≈ \$0\.06 · 1 s/, {}, { timeout: 2500 })).toBeTruthy();
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('https://ff.example.test/v1/images/generations');
    expect(JSON.parse(init!.body as string)).toMatchObject({ prompt: 'A red fox in snow', quality: 'medium', size: '1024x1024', stream: true, partial_images: 2 });
    expect(sandbox.ofType('add-pending')).toHaveLength(1);
    const requestId = sandbox.ofType('add-pending')[0]!.run.requestId;
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(await screen.findByText('Cancelled.')).toBeTruthy();
    expect(sandbox.ofType('remove-pending')).toHaveLength(1);
    expect(runButton()).toBeTruthy();
    // the paid upstream call is stopped too, by the request's id
    await waitFor(() => expect(fetchMock.mock.calls.filter(([, i]) => i?.method === 'DELETE').map(([u]) => u)).toEqual([`https://ff.example.test/v1/results/${requestId}`]));
  });

  it('places a single result at once and records it in history', async () => {
    stubFetch(() => sseResponse([completed(0.0482)]));
    await startApp();
    typePrompt('A red fox in snow');
    fireEvent.keyDown(promptBox(), { key: 'Enter', ctrlKey: true });
    expect(await screen.findByText('Added at the viewport centre.')).toBeTruthy();
    const place = sandbox.ofType('place')[0]!;
    expect(place).toMatchObject({ targetId: null, mode: 'one', provenance: { prompt: 'A red fox in snow', costUsd: 0.0482 } });
    expect(place.images[0]).toMatchObject({ width: 8, height: 8 });
    await waitFor(() => expect(sandbox.ofType('add-history')).toHaveLength(1));
    const added = sandbox.ofType('add-history')[0]!;
    expect(added.entry).toMatchObject({ costUsd: 0.0482, images: [{ imageHash: null, placed: false }] });
    expect(added.images).toHaveLength(1); // the bytes: the sandbox keeps them as a Figma image
    await waitFor(() => expect(sandbox.ofType('history-placed')).toEqual([{ type: 'history-placed', id: added.entry.id, index: 0 }]));
    expect(screen.getByText('$0.05 spent')).toBeTruthy();
  });

  it('shows variations as a grid and places all of them on request', async () => {
    stubFetch(() => sseResponse([completed(0.05), completed(0.05)]));
    await startApp();
    typePrompt('Poster of a lighthouse');
    fireEvent.click(screen.getByRole('radio', { name: '2 variations' }));
    fireEvent.click(runButton());
    expect(await screen.findByText('2 variations — click one to place it.')).toBeTruthy();
    expect(sandbox.ofType('place')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Place all' }));
    await waitFor(() => expect(sandbox.ofType('place')).toHaveLength(1));
    expect(sandbox.ofType('place')[0]).toMatchObject({ mode: 'all' });
    expect(await screen.findByText('Added at the viewport centre.')).toBeTruthy();
  });

  it('points to Settings when the token is refused', async () => {
    stubFetch(() => errorResponse(401, 'invalid_api_key', 'Invalid access token'));
    await startApp();
    typePrompt('A red fox in snow');
    fireEvent.click(runButton());
    expect((await screen.findByRole('alert')).textContent).toBe('The access token was refused — check it in Settings.');
    fireEvent.click(screen.getByRole('button', { name: 'Open Settings' }));
    expect(await screen.findByLabelText('Access token')).toBeTruthy();
  });

  it('says plainly when the safety system blocks a prompt and offers Edit prompt, not a Retry that would be blocked again', async () => {
    let calls = 0;
    const fetchMock = stubFetch(() => (++calls === 1 ? errorResponse(400, 'moderation_blocked', 'Request rejected by safety system') : sseResponse([completed()])));
    await startApp();
    typePrompt('A red fox in snow');
    fireEvent.click(runButton());
    expect((await screen.findByRole('alert')).textContent).toMatch(/^OpenAI's safety system blocked this prompt\. Rephrase it/);
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    // nothing was billed, so nothing is claimed as spent (no "≈ $0.00")
    const results = screen.getByRole('region', { name: 'Results' });
    expect(within(results).getByText('Nothing spent')).toBeTruthy();
    expect(within(results).queryByText(/\$/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Edit prompt' }));
    expect(document.activeElement).toBe(promptBox());
    expect(promptBox().selectionStart).toBe('A red fox in snow'.length);
    typePrompt('A red fox in fresh snow, morning light');
    fireEvent.click(runButton());
    expect(await screen.findByText('Added at the viewport centre.')).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(JSON.parse(fetchMock.mock.calls[1]![1]!.body as string).prompt).toBe('A red fox in fresh snow, morning light');
  });

  it('says live that it cannot reach the backend while it retries, then points to Settings within about 4 s', async () => {
    const fetchMock = stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    await startApp();
    typePrompt('A red fox in snow');
    const started = Date.now();
    fireEvent.click(runButton());
    expect(await screen.findByText("Can't reach the backend — retrying (1/2)…")).toBeTruthy();
    expect(screen.getByText(/resumes in \d s/)).toBeTruthy();
    expect(await screen.findByText("Can't reach the backend — retrying (2/2)…", {}, { timeout: 2000 })).toBeTruthy();
    const alert = await screen.findByRole('alert', {}, { timeout: 4000 });
    expect(alert.textContent).toBe("Can't reach the Framefill backend at https://ff.example.test — check the URL in Settings.");
    expect(Date.now() - started).toBeLessThan(4500);
    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(screen.getByRole('button', { name: 'Open Settings' })).toBeTruthy();
    expect(screen.getByText('Nothing spent')).toBeTruthy();
  }, 10_000);

  it('runs at once when opened from a quick action', async () => {
    const fetchMock = stubFetch(() => sseResponse([completed()]));
    await startApp(initMessage({ prefill: { prompt: 'Isometric city block', tier: 'high', size: '16:9', autoRun: true } }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    expect(promptBox().value).toBe('Isometric city block');
    expect(JSON.parse(fetchMock.mock.calls[0]![1]!.body as string)).toMatchObject({ quality: 'high', size: '1824x1024' });
  });

  it('recovers a run that finished while the panel was closed', async () => {
    const fetchMock = stubFetch(() => new Response(JSON.stringify({ created: 1, data: [{ b64_json: PNG }], framefill: { cost_usd: 0.05, request_id: 'old', model: 'gpt-image-2' } }), { headers: { 'content-type': 'application/json' } }));
    await startApp(initMessage({ pending: [{ requestId: 'old-run', kind: 'generate', targetId: null, targetName: 'New image', prompt: 'A lighthouse', tier: 'medium', size: '1024x1024', variations: 1, referenceIds: [], startedAt: 1 }] }));
    expect(await screen.findByText('Recovered 1 result from a run that was still going when the panel closed.')).toBeTruthy();
    expect(fetchMock.mock.calls[0]![0]).toBe('https://ff.example.test/v1/results/old-run');
    fireEvent.click(screen.getByRole('button', { name: 'Place' }));
    await waitFor(() => expect(sandbox.ofType('remove-pending')).toEqual([{ type: 'remove-pending', requestId: 'old-run' }]));
  });
});

describe('settings', () => {
  it('fills from init, and Save sends the new URL and token to the sandbox', async () => {
    stubFetch(() => new Response(JSON.stringify({ object: 'framefill.usage', token_name: 'Brand team', month: '2026-11', images: 3, requests: 3, input_tokens: 0, output_tokens: 5000, cost_usd: 1.25, budget_usd: 50 })));
    await startApp();
    fireEvent.click(screen.getByRole('tab', { name: 'Settings' }));
    const url = (await screen.findByLabelText('Backend URL')) as HTMLInputElement;
    const token = screen.getByLabelText('Access token') as HTMLInputElement;
    expect(url.value).toBe('https://ff.example.test');
    expect(token.value).toBe('ff_token');
    expect(token.type).toBe('password');
    expect(await screen.findByText('Connected as Brand team')).toBeTruthy();
    expect(screen.getByText(/This month: \$1\.25 of \$50\.00 budget · 3 images/)).toBeTruthy();

    fireEvent.input(url, { target: { value: 'https://framefill.acme.test' } });
    fireEvent.input(token, { target: { value: 'ff_new_token' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sandbox.ofType('save-settings').at(-1)?.settings).toMatchObject({ backendUrl: 'https://framefill.acme.test', accessToken: 'ff_new_token', tier: 'medium' }));
  });

  it('refuses a non-https URL and explains a connection failure', async () => {
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    await startApp(initMessage({ settings: { ...TEST_SETTINGS, accessToken: '' } }));
    fireEvent.click(screen.getByRole('tab', { name: 'Settings' }));
    const url = (await screen.findByLabelText('Backend URL')) as HTMLInputElement;
    fireEvent.input(url, { target: { value: 'http://framefill.acme.test' } });
    expect(screen.getByText(/Use an https:\/\/ address/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(url, { target: { value: 'https://down.acme.test' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    // In Settings the fix is right here: no "check it in Settings".
    expect(await screen.findByText("Can't reach the Framefill backend at https://down.acme.test — check the Backend URL above.")).toBeTruthy();
  });
});

describe('history', () => {
  const entry = (over: Partial<HistoryEntry>): HistoryEntry => ({
    id: 'h1',
    prompt: 'A ceramic mug on a walnut desk, 35mm, editorial photography',
    tier: 'high',
    size: '1536x1024',
    model: 'gpt-image-2',
    variations: 1,
    costUsd: 0.165,
    createdAt: Date.now() - 5 * 60_000,
    nodeIds: ['1:2'],
    imageHash: 'abc',
    thumbnail: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]),
    ...over,
  });

  it('lists entries with thumbnail, prompt, tier, size, cost and time, and places again by hash', async () => {
    await startApp(initMessage({ history: [entry({}), entry({ id: 'h2', prompt: 'Older one', imageHash: null, thumbnail: null, createdAt: Date.now() - 3 * 86_400_000, tier: 'low', costUsd: 0.006, size: '1024x1024' })] }));
    fireEvent.click(screen.getByRole('tab', { name: 'History (2)' }));
    const items = [...screen.getByRole('list', { name: 'History' }).querySelectorAll<HTMLElement>(':scope > li')];
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('A ceramic mug on a walnut desk');
    expect(items[0]!.textContent).toContain('High · 1536×1024 · $0.17 · 5 min ago');
    expect(items[0]!.querySelector('img')!.getAttribute('src')).toBe('data:image/jpeg;base64,/9j/4A==');
    expect(items[1]!.textContent).toContain('Low · 1024×1024 · $0.006 · 3 d ago');
    expect((within(items[1]!).getByRole('button', { name: 'Place again' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(within(items[0]!).getByRole('button', { name: 'Place again' }));
    await waitFor(() => expect(sandbox.ofType('place-hash')).toHaveLength(1));
    expect(sandbox.ofType('place-hash')[0]).toMatchObject({ imageHash: 'abc', targetId: null });
    expect(await screen.findByText('Placed at the viewport centre.')).toBeTruthy();
  });

  it('keeps every image of a run: "2 images · $…", each with its own Place button, placed from its hash', async () => {
    const images = [
      { imageHash: 'hash-a', thumbnail: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), placed: true },
      { imageHash: 'hash-b', thumbnail: new Uint8Array([0xff, 0xd8, 0xff, 0xe1]), placed: false },
    ];
    await startApp(initMessage({ history: [entry({ id: 'run-1', variations: 2, costUsd: 0.07, imageHash: 'hash-a', thumbnail: null, images })] }));
    fireEvent.click(screen.getByRole('tab', { name: 'History (1)' }));
    const item = screen.getByRole('list', { name: 'History' }).querySelector<HTMLElement>(':scope > li')!;
    expect(item.textContent).toContain('High · 1536×1024 · 2 images · $0.07 · 5 min ago');
    expect(item.querySelectorAll('img')).toHaveLength(2);
    within(item).getByRole('button', { name: 'Place again: image 1 of 2' });
    fireEvent.click(within(item).getByRole('button', { name: 'Place: image 2 of 2' }));
    await waitFor(() => expect(sandbox.ofType('place-hash')).toHaveLength(1));
    expect(sandbox.ofType('place-hash')[0]).toMatchObject({ imageHash: 'hash-b', provenance: { costUsd: 0 } });
    await waitFor(() => expect(sandbox.ofType('history-placed')).toEqual([{ type: 'history-placed', id: 'run-1', index: 1 }]));
  });

  it('Re-run fills the form with the entry', async () => {
    await startApp(initMessage({ history: [entry({})] }));
    fireEvent.click(screen.getByRole('tab', { name: 'History (1)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Re-run' }));
    expect(promptBox().value).toBe('A ceramic mug on a walnut desk, 35mm, editorial photography');
    expect(screen.getByRole('radio', { name: 'High, $0.211 per image' }).getAttribute('aria-checked')).toBe('true');
    expect((screen.getByLabelText('Width in pixels') as HTMLInputElement).value).toBe('1536');
  });
});

describe('model picker', () => {
  const served = (...args: Parameters<typeof modelList>) => serveModels(() => modelsResponse(modelList(...args)));
  const modelGroup = () => screen.getByRole('radiogroup', { name: 'Model' });
  const qualityGroup = () => screen.getByRole('radiogroup', { name: 'Quality' });
  const pickModel = async (label: string) => fireEvent.click(await screen.findByRole('radio', { name: new RegExp(`^${label}:`) }));
  const checked = (group: HTMLElement) => within(group).getAllByRole('radio').find((r) => r.getAttribute('aria-checked') === 'true')?.getAttribute('aria-label');

  it('lists only the models the backend allows, each with what it is for', async () => {
    served(['gpt-image-2', 'gpt-image-2.5-flare']);
    await startApp();
    await waitFor(() => expect(within(modelGroup()).getAllByRole('radio').map((r) => r.getAttribute('aria-label'))).toEqual([
      'GPT Image 2: The default: dependable quality at published prices.',
      '2.5 Flare: Fast: about half the wait, for drafts and exploring.',
    ]));
    expect(screen.queryByText(/Sunburst/)).toBeNull();
  });

  it('shows gpt-image-2 as a line, at published prices, when the backend predates /v1/models', async () => {
    await startApp();
    expect(screen.queryByRole('radiogroup', { name: 'Model' })).toBeNull();
    expect(screen.getByText('GPT Image 2')).toBeTruthy();
    expect(within(qualityGroup()).getAllByRole('radio').map((r) => r.textContent)).toEqual(['Low$0.006', 'Medium$0.053', 'High$0.211']);
  });

  it('shows the qualities the chosen model takes, priced by basis: published, ceiling estimate, learned', async () => {
    served(undefined, { 'gpt-image-2.5-flare': { max: { output_tokens_1024: 20_000, basis: 'learned', runs: 12 } } });
    await startApp();
    await pickModel('2.5 Flare');
    const radios = within(qualityGroup()).getAllByRole('radio');
    expect(radios.map((r) => r.textContent)).toEqual(['Low$0.006', 'Medium$0.053', 'High$0.211', 'X-High≤ $0.45 est.', 'Max~$0.60']);
    expect(radios[3]!.getAttribute('aria-label')).toBe('X-High, at most $0.45 per image, estimated');
    expect(radios[4]!.getAttribute('aria-label')).toBe('Max, about $0.60 per image, learned from 12 runs');
    fireEvent.click(radios[4]!);
    expect(await screen.findByText(/Max: \$0\.60 learned from 12 runs on this backend/)).toBeTruthy();
    expect(screen.getByText('New image at the viewport centre · 1 image · ≈ $0.61')).toBeTruthy();
  });

  it('moves to the nearest tier a model takes when switching to one without the current tier', async () => {
    served();
    await startApp();
    await pickModel('2.5 Sunburst');
    fireEvent.click(within(qualityGroup()).getByRole('radio', { name: /^Max,/ }));
    await pickModel('GPT Image 2');
    expect(checked(qualityGroup())).toBe('High, $0.211 per image');
    await waitFor(() => expect(sandbox.ofType('save-settings').at(-1)?.settings).toMatchObject({ model: 'gpt-image-2', tier: 'high' }));
  });

  it('offers Transparent background only where the model takes it, and asks a PNG with a transparent background', async () => {
    const list = modelList(['gpt-image-2', 'gpt-image-2.5-flare']);
    list.data[0]!.framefill!.transparent_background = 'no';
    serveModels(() => modelsResponse(list));
    const fetchMock = stubFetch(() => sseResponse([completed()]));
    await startApp();
    await screen.findByRole('radio', { name: /^2\.5 Flare:/ });
    expect(screen.queryByRole('switch', { name: /Transparent background/ })).toBeNull();
    await pickModel('2.5 Flare');
    fireEvent.click(within(qualityGroup()).getByRole('radio', { name: /^X-High,/ }));
    fireEvent.click(screen.getByRole('switch', { name: /Transparent background/ }));
    fireEvent.click(screen.getByRole('switch', { name: 'HD' })); // HD asks JPEG, which has no alpha
    typePrompt('A paper crane, product cut-out');
    fireEvent.click(runButton());
    // X-High HD costs more than Settings' $1.00: the run asks once first (issue 14)
    fireEvent.click(await screen.findByRole('button', { name: 'Run anyway' }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    const body = JSON.parse(fetchMock.mock.calls[0]![1]!.body as string);
    expect(body).toMatchObject({ model: 'gpt-image-2.5-flare', quality: 'xhigh', background: 'transparent', output_format: 'png' });
    expect(body).not.toHaveProperty('output_compression');
    await waitFor(() => expect(sandbox.ofType('place')[0]?.provenance).toMatchObject({ transparent: true }));
    await pickModel('GPT Image 2');
    expect(screen.queryByRole('switch', { name: /Transparent background/ })).toBeNull();
  });

  it('marks transparency as a preview on gpt-image-2', async () => {
    served(['gpt-image-2', 'gpt-image-2.5-flare']);
    await startApp();
    await screen.findByRole('radio', { name: /^2\.5 Flare:/ });
    const toggle = screen.getByRole('switch', { name: /Transparent background/ });
    expect(toggle.closest('label')!.textContent).toBe('Transparent backgroundpreview');
  });

  it('records the model the backend billed in provenance and history, and the model asked in pending runs', async () => {
    served();
    stubFetch(() => sseResponse([sseEvent('image_generation.completed', { b64_json: PNG, framefill: { cost_usd: 0.3, request_id: 'r', model: 'gpt-image-2.5-flare' } })]));
    await startApp();
    await pickModel('2.5 Flare');
    typePrompt('A red fox in snow');
    fireEvent.click(runButton());
    expect(await screen.findByText('Added at the viewport centre.')).toBeTruthy();
    expect(sandbox.ofType('add-pending')[0]!.run).toMatchObject({ model: 'gpt-image-2.5-flare', transparent: false });
    expect(sandbox.ofType('place')[0]!.provenance.model).toBe('gpt-image-2.5-flare');
    await waitFor(() => expect(sandbox.ofType('add-history')[0]?.entry.model).toBe('gpt-image-2.5-flare'));
  });

  it('Regenerate and Re-run set the model and background back in the form', async () => {
    served();
    const entry: HistoryEntry = { id: 'h1', prompt: 'A lighthouse at dusk', tier: 'xhigh', size: '1024x1024', model: 'gpt-image-2.5-sunburst-2026-09-08', variations: 1, costUsd: 0.4, createdAt: Date.now(), nodeIds: [], imageHash: null, thumbnail: null };
    await startApp(initMessage({ history: [entry], prefill: { prompt: 'Old prompt', tier: 'xhigh', model: 'gpt-image-2.5-flare', transparent: true, autoRun: false } }));
    await waitFor(() => expect(checked(modelGroup())).toMatch(/^2\.5 Flare:/));
    expect(checked(qualityGroup())).toMatch(/^X-High,/);
    expect((screen.getByRole('switch', { name: /Transparent background/ }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('tab', { name: 'History (1)' }));
    expect(screen.getByText(/^2\.5 Sunburst · X-High · 1024×1024 · \$0\.40/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Re-run' }));
    await waitFor(() => expect(checked(modelGroup())).toMatch(/^2\.5 Sunburst:/));
    expect(checked(qualityGroup())).toMatch(/^X-High,/);
    // the entry was made opaque
    expect((screen.getByRole('switch', { name: /Transparent background/ }) as HTMLInputElement).checked).toBe(false);
  });
});
