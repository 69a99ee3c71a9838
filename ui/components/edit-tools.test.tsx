// @vitest-environment happy-dom
// (issue 15) The "Edit image" section as a designer meets it: shown for one selected image, the
// four tools reachable by keyboard, each with its estimate or the reason it can't run, and a run
// that goes from the tool's button to the canvas.
import { fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { pngOf } from '../../test/support/images';
import type { Target } from '../../plugin/messages';
import { modelList, modelsResponse } from '../test/model-list';
import { initMessage, sandboxSends, serveModels, sseEvent, sseResponse, stubFetch } from '../test/harness';
import { startApp, setupApp } from '../test/app-harness';

const PNG = pngOf(8, 8).toString('base64');
const image = { hash: 'img-1', width: 1024, height: 1024, scaleMode: 'FILL' as const, framefill: true, prompt: 'A red fox in snow', originals: 0 };
/** a 1:1 image in a frame resized to 16:9 */
const hero = (over: Partial<Target> = {}): Target => ({ id: '1:2', name: 'Hero', type: 'FRAME', width: 1600, height: 900, empty: false, maskId: null, image, ...over });

const app = setupApp();
const startWith = (targets: Target[], over: Parameters<typeof initMessage>[0] = {}) => startApp(app.sandbox(), initMessage({ selection: { targets, skipped: [] }, ...over }));

const section = () => screen.getByRole('region', { name: 'Edit image' });
const tools = () => within(section()).getByRole('radiogroup', { name: 'Edit tool' });

describe('Edit image', () => {
  it('shows only for one selected image', async () => {
    await startWith([hero(), hero({ id: '1:3' })]);
    expect(screen.queryByRole('region', { name: 'Edit image' })).toBeNull();
    sandboxSends({ type: 'selection', selection: { targets: [hero()], skipped: [] } });
    expect(await screen.findByRole('region', { name: 'Edit image' })).toBeTruthy();
  });

  it('offers four tools by keyboard, each saying what it does and what it costs', async () => {
    await startWith([hero()]);
    const radios = within(tools()).getAllByRole('radio');
    expect(radios.map((r) => r.textContent)).toEqual([expect.stringMatching(/^Expand≈ \$0\.\d\d$/), expect.stringMatching(/^Area/), expect.stringMatching(/^Cut out/), expect.stringMatching(/^Upscale≈ \$/)]);
    expect(within(section()).getByRole('button', { name: /^Expand · ≈ \$0\.\d\d$/ })).toBeTruthy();
    fireEvent.keyDown(radios[0]!, { key: 'End' });
    expect(within(section()).getByText('A re-render at twice the size, not a pixel-exact enlargement.')).toBeTruthy();
    expect(within(section()).getByText('1024×1024 → 2048×2048 (2×) · experimental size')).toBeTruthy();
    expect(within(section()).getByRole('radiogroup', { name: 'Upscale quality' }).querySelector('[aria-checked="true"]')?.textContent).toMatch(/^High/);
  });

  it('shows Expand’s reason instead of a clickable action when the image already fits its frame', async () => {
    await startWith([hero({ width: 500, height: 500 })]);
    expect(within(section()).getByText(/already has its frame’s shape — resize the frame first/)).toBeTruthy();
    expect((within(section()).getByRole('button', { name: 'Expand' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('disables Cut out with the reason when no allowed model makes transparency', async () => {
    const list = modelList(['gpt-image-2']);
    list.data[0]!.framefill!.transparent_background = 'no';
    serveModels(() => modelsResponse(list));
    await startWith([hero()]);
    await waitFor(() => expect(within(tools()).getByRole('radio', { name: /^Cut out, None of the models/ })).toBeTruthy());
    fireEvent.click(within(tools()).getByRole('radio', { name: /^Cut out/ }));
    expect(within(section()).getByRole('status').textContent).toMatch(/makes transparent backgrounds, so Cut out isn’t available/);
    expect((within(section()).getByRole('button', { name: 'Cut out' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('Select area makes the area, then says only the shaded area changes and asks what goes there', async () => {
    await startWith([hero()]);
    fireEvent.click(within(tools()).getByRole('radio', { name: /^Select area/ }));
    fireEvent.click(within(section()).getByRole('button', { name: 'Select area' }));
    expect(app.sandbox().ofType('create-area')).toEqual([{ type: 'create-area', targetId: '1:2' }]);
    sandboxSends({ type: 'selection', selection: { targets: [hero({ areaId: '7:1' })], skipped: [] } });
    expect(await within(section()).findByText(/only change the shaded area — draw or reshape it inside “Framefill area”/)).toBeTruthy();
    const run = within(section()).getByRole('button', { name: /^Change area · ≈/ }) as HTMLButtonElement;
    expect(run.disabled).toBe(true);
    fireEvent.input(within(section()).getByLabelText('What goes in the area'), { target: { value: 'A ceramic vase of dried flowers' } });
    expect(run.disabled).toBe(false);
  });

  it('runs Expand from its button to the canvas: the image exported, an edit with a mask, placed as an expand', async () => {
    const fetchMock = stubFetch(() => sseResponse([sseEvent('image_edit.completed', { b64_json: PNG, framefill: { cost_usd: 0.09, request_id: 'r', model: 'gpt-image-2' } })]));
    await startWith([hero()]);
    fireEvent.click(within(section()).getByRole('button', { name: /^Expand · ≈/ }));
    expect(await screen.findByText('Expanded the image in Hero.')).toBeTruthy();
    expect(app.sandbox().ofType('export-image')[0]).toMatchObject({ nodeId: '1:2', source: 'image', area: false });
    const body = fetchMock.mock.calls[0]![1]!.body as FormData;
    expect([body.get('size'), body.get('mask') !== null]).toEqual(['1600x912', true]);
    expect(app.sandbox().ofType('place')[0]).toMatchObject({ targetId: '1:2', edit: { tool: 'expand', parentHash: 'img-1', areaId: null }, provenance: { action: 'expand', parentImageHash: 'img-1' } });
  });

  it('offers to discard the kept original', async () => {
    await startWith([hero({ image: { ...image, originals: 1 } })]);
    fireEvent.click(within(section()).getByRole('button', { name: 'Discard original' }));
    expect(app.sandbox().ofType('discard-originals')).toEqual([{ type: 'discard-originals', targetId: '1:2' }]);
  });

  it('opens on the tool of a relaunch button, prompt prefilled, without running', async () => {
    const fetchMock = stubFetch(() => sseResponse([]));
    await startWith([hero()], { prefill: { prompt: 'A red fox at dusk', tool: 'upscale', autoRun: false } });
    expect(within(tools()).getByRole('radio', { name: /^Upscale/ }).getAttribute('aria-checked')).toBe('true');
    expect((within(section()).getByLabelText('Upscale prompt') as HTMLTextAreaElement).value).toMatch(/^A red fox at dusk\. The same image/);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(app.sandbox().ofType('export-image')).toEqual([]);
  });
});
