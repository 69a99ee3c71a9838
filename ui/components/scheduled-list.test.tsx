// @vitest-environment happy-dom
import { fireEvent, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Batch } from '../../backend/contract';
import type { ScheduledBatch } from '../../plugin/messages';
import { startApp, setupApp } from '../test/app-harness';
import { initMessage, stubFetch, type fakeSandbox } from '../test/harness';

const app = setupApp();
let sandbox: ReturnType<typeof fakeSandbox>;
beforeEach(() => {
  sandbox = app.sandbox();
});

const item = (id: string) => ({ id, kind: 'generate' as const, targetId: id, targetName: 'Card', place: null, prompt: 'A kettle', model: 'gpt-image-2', tier: 'low' as const, size: '1024x1024', variations: 1, referenceIds: [] });
const record = (id: string, n: number, run: string): ScheduledBatch => ({ id, createdAt: Date.now() - 60_000, discount: 0.5, reservedUsd: 0.01 * n, nowUsd: 0.02 * n, items: Array.from({ length: n }, (_, i) => item(`${id}-${i}`)), run });
const view = (r: ScheduledBatch, status: Batch['status']): Batch => ({
  object: 'framefill.batch', id: r.id, status, created_at: Math.floor(r.createdAt / 1000), discount: 0.5, reserved_usd: status === 'cancelled' ? 0 : r.reservedUsd, cost_usd: 0,
  progress: { total: r.items.length, completed: 0, failed: 0 },
  items: r.items.map((i) => ({ id: i.id, kind: 'generation' as const, status: status === 'cancelled' ? ('cancelled' as const) : ('pending' as const), cost_usd: null, error: null })),
});

describe('Scheduled (issue 16)', () => {
  it('shows a Run split into several batches as one row, and its Cancel stops every batch of it', async () => {
    const records = [record('fb_1', 5, 'run-a'), record('fb_2', 2, 'run-a'), record('fb_3', 3, 'run-b')];
    const fetchMock = stubFetch((url, init) => {
      const r = records.find((x) => url.endsWith(`/v1/framefill/batches/${x.id}`));
      if (!r) throw new TypeError('Failed to fetch');
      return Response.json(view(r, init.method === 'DELETE' ? 'cancelled' : 'in_progress'));
    });
    await startApp(sandbox, initMessage({ scheduled: records, scheduledPlaced: [] }));
    await waitFor(() => expect(screen.getAllByText(/^Overnight · /).map((e) => e.textContent)).toEqual(['Overnight · 7 images', 'Overnight · 3 images']));
    await waitFor(() => expect(screen.getAllByText('0 of 7 done')).toHaveLength(1));

    fireEvent.click(screen.getByRole('button', { name: 'Cancel the overnight run of 7 images' }));
    await waitFor(() => expect(screen.getByText('Cancelled the overnight run.')).toBeTruthy());
    const cancels = fetchMock.mock.calls.filter(([, init]) => init?.method === 'DELETE').map(([url]) => String(url).split('/').pop());
    expect(cancels).toEqual(['fb_1', 'fb_2']);
    await waitFor(() => expect(screen.getAllByText(/^Overnight · /).map((e) => e.textContent)).toEqual(['Overnight · 3 images']));
    expect(sandbox.ofType('drop-scheduled').map((m) => m.batchId)).toEqual(['fb_1', 'fb_2']);
  });
});
