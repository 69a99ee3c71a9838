import { describe, expect, it, vi } from 'vitest';
import type { Transport } from '../plugin/events';
import type { UiToSandbox } from '../plugin/messages';
import { createPanelChannel, createRequester, SandboxError } from './transport';

function fakeTransport() {
  let handler: ((raw: unknown) => void) | null = null;
  const sent: UiToSandbox[] = [];
  const transport: Transport = {
    send: (m) => sent.push(m as UiToSandbox),
    listen(h) {
      handler = h;
      return () => (handler = null);
    },
  };
  return { transport, sent, deliver: (m: unknown) => handler?.(m) };
}

const provenance = { prompt: 'p', tier: 'low' as const, size: '1024x1024', model: 'gpt-image-2', costUsd: 0, createdAt: 0, referenceIds: [], requestId: 'r' };

describe('requester', () => {
  it('settles a request with the reply carrying its rid, and rejects on failed', async () => {
    const t = fakeTransport();
    const channel = createPanelChannel(t.transport);
    let n = 0;
    const requester = createRequester(channel, { newId: () => `rid-${++n}` });
    const exported = requester.exportNodes({ type: 'export', nodeIds: ['1:2'], maxSide: 2048, maskFor: null });
    const placed = requester.place({ type: 'place', targetId: null, images: [{ bytes: new Uint8Array([1]), width: 1, height: 1 }], mode: 'one', name: 'x', provenance });
    expect(t.sent.map((m) => 'rid' in m && m.rid)).toEqual(['rid-1', 'rid-2']);
    t.deliver({ type: 'failed', rid: 'rid-2', message: 'The frame is locked.' });
    t.deliver({ type: 'placed', rid: 'unknown', nodeIds: [], imageHash: null, notices: [] });
    t.deliver({ type: 'exported', rid: 'rid-1', images: [], mask: null });
    await expect(exported).resolves.toMatchObject({ type: 'exported', rid: 'rid-1' });
    await expect(placed).rejects.toEqual(new SandboxError('The frame is locked.'));
  });

  it('drops malformed messages and times out a silent sandbox', async () => {
    vi.useFakeTimers();
    try {
      const t = fakeTransport();
      const log = vi.fn();
      const channel = createPanelChannel(t.transport, log);
      const requester = createRequester(channel, { timeoutMs: 1000, newId: () => 'rid' });
      const pending = requester.exportNodes({ type: 'export', nodeIds: ['1:2'], maxSide: 2048, maskFor: null });
      t.deliver({ type: 'exported', rid: 'rid', images: 'not an array', mask: null });
      vi.advanceTimersByTime(1001);
      await expect(pending).rejects.toThrow(/Figma didn't answer in time/);
      expect(log).toHaveBeenCalledWith(expect.stringMatching(/^rejected message "exported": images/));
    } finally {
      vi.useRealTimers();
    }
  });
});
