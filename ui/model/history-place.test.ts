import { describe, expect, it, vi } from 'vitest';
import type { HistoryEntry } from '../../plugin/messages';
import { bytesToBase64 } from '../lib/image-bytes';
import { SandboxError, type Requester } from '../transport';
import { placeFromHistory } from './history-place';

// A 1×1 PNG header is enough for the size check (toResults reads the IHDR).
const png = (w: number, h: number) => {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bytes.buffer).setUint32(16, w);
  new DataView(bytes.buffer).setUint32(20, h);
  bytes.set([8, 6, 0, 0, 0], 24);
  return bytesToBase64(bytes);
};

const entry: HistoryEntry = {
  id: 'req-1',
  requestId: 'req-1',
  prompt: 'A mug',
  tier: 'low',
  size: '1024x1024',
  model: 'gpt-image-2',
  variations: 2,
  costUsd: 0.012,
  createdAt: 1,
  nodeIds: [],
  imageHash: 'a',
  thumbnail: null,
  images: [
    { imageHash: 'a', thumbnail: null, placed: true },
    { imageHash: 'b', thumbnail: null, placed: false },
  ],
};

const requester = (placeHash: 'ok' | 'missing') => {
  const place = vi.fn<Requester['place']>(async (request) => {
    if (request.type === 'place-hash' && placeHash === 'missing') throw new SandboxError('That image is no longer in this file — generate it again');
    return { type: 'placed', rid: 'r', nodeIds: ['n1'], imageHash: 'b', notices: [] };
  });
  return { place, exportNodes: vi.fn(), close: vi.fn() } as unknown as Requester & { place: typeof place };
};

describe('placing from History', () => {
  it('places image N by its Figma hash, at no cost and without asking the backend', async () => {
    const r = requester('ok');
    const fetchKept = vi.fn();
    await placeFromHistory(r, entry, 1, 't1', fetchKept);
    expect(r.place.mock.calls[0]![0]).toMatchObject({ type: 'place-hash', imageHash: 'b', targetId: 't1', provenance: { costUsd: 0, requestId: 'req-1' } });
    expect(fetchKept).not.toHaveBeenCalled();
  });

  it('brings an image Figma dropped back from the backend’s retained result of the same request', async () => {
    const r = requester('missing');
    const fetchKept = vi.fn(async () => [png(16, 16), png(32, 16)]);
    await placeFromHistory(r, entry, 1, null, fetchKept);
    expect(fetchKept).toHaveBeenCalledWith('req-1');
    expect(r.place.mock.calls[1]![0]).toMatchObject({ type: 'place', mode: 'one', images: [{ width: 32, height: 16 }], provenance: { costUsd: 0 } });
  });

  it('says Re-run when neither Figma nor the backend has the image any more', async () => {
    await expect(placeFromHistory(requester('missing'), entry, 1, null, async () => null)).rejects.toThrow(/no longer in this file, and the backend no longer keeps it — Re-run/);
  });
});
