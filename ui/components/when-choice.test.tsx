// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Target } from '../../plugin/messages';
import { startApp, setupApp } from '../test/app-harness';
import { TEST_SETTINGS, initMessage, stubFetch, type fakeSandbox } from '../test/harness';

const frame = (id: string): Target => ({ id, name: `Frame ${id}`, type: 'FRAME', width: 1024, height: 1024, empty: true, maskId: null });
const app = setupApp();
let sandbox: ReturnType<typeof fakeSandbox>;
beforeEach(() => {
  sandbox = app.sandbox();
});

const open = (variations = 1) => startApp(sandbox, initMessage({ settings: { ...TEST_SETTINGS, variations }, selection: { targets: [frame('1'), frame('2')], skipped: [] } }));
const price = (name: RegExp) => Number(/\$(\d+\.\d+)/.exec(screen.getByRole('radio', { name }).getAttribute('aria-label') ?? '')?.[1]);

describe('When: Now or Overnight (issue 16)', () => {
  it('shows both totals, Overnight at half of Now without its stream previews, and says when the images come', async () => {
    await open();
    fireEvent.input(screen.getByLabelText('Prompt'), { target: { value: 'A copper kettle' } });
    // Two Medium frames: Now 2 × ($0.053 + two previews at $0.003); a batch streams nothing, at half price
    expect(price(/^Now, about/)).toBe(0.12);
    expect(price(/^Overnight, about/)).toBe(0.05);
    expect(screen.queryByText(/Ready within 24 h/)).toBeNull();
    expect(screen.getByText('per 1024² image + $0.006 for 2 previews')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: /^Overnight, about/ }));
    expect(screen.getByText('Ready within 24 h — placed when this file is next opened.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement).disabled).toBe(false);
    // nor does the Quality line charge for previews a batch doesn't make, and the plan line's total
    // is the one Run will spend
    expect(screen.getByText('per 1024² image')).toBeTruthy();
    expect(document.getElementById('plan-line')!.textContent).toBe('Fill 2 empty frames · 2 images · ≈ $0.05 overnight');
    fireEvent.click(screen.getByRole('radio', { name: /^Now, about/ }));
    expect(document.getElementById('plan-line')!.textContent).toBe('Fill 2 empty frames · 2 images · ≈ $0.12');
  });

  it('does not run more than one variation a frame overnight, and says why', async () => {
    await open(2);
    fireEvent.input(screen.getByLabelText('Prompt'), { target: { value: 'A copper kettle' } });
    fireEvent.click(screen.getByRole('radio', { name: /^Overnight, about/ }));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement).disabled).toBe(true));
    expect(screen.getByText('Overnight makes one image per frame — set Variations to 1.')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: /^Now, about/ }));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement).disabled).toBe(false));
  });

  it('keeps a scheduling that got no answer with the draft: the next panel runs the same plan under the same key', async () => {
    const keys: string[] = [];
    const fetchMock = stubFetch((url, init) => {
      if (url.endsWith('/v1/framefill/batches')) keys.push(new Headers(init.headers).get('idempotency-key') ?? '');
      throw new TypeError('Failed to fetch');
    });
    const runOvernight = async () => {
      fireEvent.input(screen.getByLabelText('Prompt'), { target: { value: 'A copper kettle' } });
      fireEvent.click(screen.getByRole('radio', { name: /^Overnight, about/ }));
      fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    };
    await open();
    await runOvernight();
    await waitFor(() => expect(screen.getByText(/^Couldn't schedule the overnight run/)).toBeTruthy(), { timeout: 5_000 });
    const saved = sandbox.ofType('save-draft').at(-1)!.draft;
    expect(keys.length).toBeGreaterThan(0);
    expect(`${saved.overnightRetry?.key}.0`).toBe(keys[0]);

    // Closed, and opened again with what the sandbox kept.
    cleanup();
    sandbox.sent.length = 0;
    keys.length = 0;
    fetchMock.mockImplementation(async (input, init = {}) => {
      if (!String(input).endsWith('/v1/framefill/batches')) throw new TypeError('Failed to fetch');
      keys.push(new Headers(init.headers).get('idempotency-key') ?? '');
      const items = (JSON.parse(String(init.body)) as { items: { id: string }[] }).items;
      return Response.json({ object: 'framefill.batch', id: 'fb_1', status: 'in_progress', created_at: 1_700_000_000, discount: 0.5, reserved_usd: 0.05, cost_usd: 0, progress: { total: items.length, completed: 0, failed: 0 }, items: items.map((i) => ({ id: i.id, kind: 'generation', status: 'pending', cost_usd: null, error: null })) });
    });
    await startApp(sandbox, initMessage({ settings: TEST_SETTINGS, selection: { targets: [frame('1'), frame('2')], skipped: [] }, draft: saved }));
    await runOvernight();
    await waitFor(() => expect(screen.getByText(/^Scheduled 2 images overnight/)).toBeTruthy());
    expect(keys[0]).toBe(`${saved.overnightRetry!.key}.0`);
    const scheduled = sandbox.ofType('schedule-batch')[0]!.batch;
    expect(scheduled.items.map((i) => i.id)).toEqual(saved.overnightRetry!.ids);
    await waitFor(() => expect(sandbox.ofType('save-draft').at(-1)?.draft.overnightRetry).toBeUndefined());
  });
});
