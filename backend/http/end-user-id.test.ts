// The `user` OpenAI is told: stable per token name, different across tokens, keyed so it cannot be
// recomputed from a name without the key, and never carrying a secret.
import { describe, expect, it } from 'vitest';
import { END_USER_ID_CHARS, endUserIds } from './end-user-id';

const OPENAI_KEY = 'sk-live-abcdefghijklmnopqrstuvwxyz012345';

describe('endUserIds', () => {
  it('gives each token name its own short id, the same on every call and every instance', async () => {
    const ids = endUserIds(OPENAI_KEY);
    const alice = await ids('alice');
    const bob = await ids('bob');
    expect(alice).toMatch(/^ff_[A-Za-z0-9_-]+$/);
    expect(alice).toHaveLength(END_USER_ID_CHARS);
    expect(bob).not.toBe(alice);
    expect(await ids('alice')).toBe(alice);
    expect(await endUserIds(OPENAI_KEY)('alice')).toBe(alice);
  });

  it('depends on the key: FRAMEFILL_USER_ID_SECRET, else one derived from the OpenAI key', async () => {
    const derived = await endUserIds(OPENAI_KEY)('alice');
    expect(await endUserIds('sk-other-key')('alice')).not.toBe(derived);
    const keyed = await endUserIds(OPENAI_KEY, 'operator-secret')('alice');
    expect(keyed).not.toBe(derived);
    expect(await endUserIds('sk-other-key', 'operator-secret')('alice')).toBe(keyed);
  });

  it("folds a client's own user into the id (a shared token still separates people) without passing it on", async () => {
    const ids = endUserIds(OPENAI_KEY);
    const plain = await ids('studio');
    const ann = await ids('studio', 'ann@example.com');
    const ben = await ids('studio', 'ben@example.com');
    expect(new Set([plain, ann, ben]).size).toBe(3);
    expect(await ids('studio', 'ann@example.com')).toBe(ann);
    // Name and user cannot be shuffled into another pair's id.
    expect(await ids('stu', 'dio')).not.toBe(await ids('studi', 'o'));
    for (const id of [plain, ann, ben]) {
      expect(id).not.toContain('ann');
      expect(id).not.toContain('studio');
    }
  });

  it('contains no piece of the OpenAI key or the operator secret', async () => {
    const ids = [await endUserIds(OPENAI_KEY)('alice'), await endUserIds(OPENAI_KEY, 'operator-secret')('alice')];
    for (const id of ids) {
      for (let i = 0; i + 6 <= OPENAI_KEY.length; i++) expect(id).not.toContain(OPENAI_KEY.slice(i, i + 6));
      expect(id).not.toContain('operator');
    }
  });
});
