import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId } from './ids';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newId', () => {
  afterEach(() => vi.restoreAllMocks());
  it('makes v4 UUIDs, also where randomUUID is unavailable', () => {
    expect(newId()).toMatch(UUID);
    vi.spyOn(crypto, 'randomUUID').mockImplementation(() => {
      throw new TypeError('insecure context');
    });
    const ids = new Set(Array.from({ length: 50 }, newId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(UUID);
  });
});
