import { describe, expect, it } from 'vitest';
import { en } from 'zod/locales';
import { issueText } from './issue-text';
import { sandboxToUiSchema, uiToSandboxSchema } from './messages';

const bytes = new Uint8Array([1, 2, 3]);
const provenance = { prompt: 'p', tier: 'high', size: '1024x1024', model: 'gpt-image-2', costUsd: 0.2, createdAt: 5, referenceIds: ['1:2'], requestId: 'r' };
const settings = { backendUrl: 'https://x', accessToken: 't', tier: 'low', sizeMode: 'auto', customWidth: 1024, customHeight: 1024, hd: false, variations: 1 };
const history = { id: 'h', prompt: 'p', tier: 'medium', size: '1024x1024', model: 'm', variations: 2, costUsd: 0, createdAt: 1, nodeIds: ['1:2'], imageHash: null, thumbnail: bytes };
const pending = { requestId: 'r', kind: 'edit', targetId: '1:2', targetName: 'F', prompt: 'p', tier: 'low', size: '1024x1024', variations: 1, referenceIds: [], startedAt: 3 };
const image = { bytes, width: 2, height: 3 };
const selection = { targets: [{ id: '1:2', name: 'F', type: 'FRAME', width: 1, height: 0, empty: true, maskId: null }], skipped: [] };

const toSandbox = [
  { type: 'export', rid: 'r', nodeIds: ['1:2'], maxSide: 2048, maskFor: null },
  { type: 'place', rid: 'r', targetId: null, images: [image], mode: 'all', name: 'n', provenance },
  { type: 'save-settings', settings },
  { type: 'add-history', entry: history },
  { type: 'add-pending', run: pending },
  { type: 'notify', message: 'm', error: true },
];
const toPanel = [
  { type: 'init', settings, history: [history], pending: [pending], selection, prefill: { prompt: 'p', tier: 'low', autoRun: true } },
  { type: 'exported', rid: 'r', images: [{ nodeId: '1:2', bytes, format: 'png', width: 1, height: 1 }], mask: image },
  { type: 'placed', rid: 'r', nodeIds: ['1:2'], imageHash: 'h', notices: [] },
];
const junk: unknown[] = [undefined, null, '', 'x'.repeat(32001), -1, 0, 1.5, 5000, 2 ** 53, NaN, Infinity, true, [], {}, Array(17).fill('1:2'), new Uint16Array(1), 'ultra'];

/** Each message with one field (at any depth) replaced by each junk value. */
function* broken(value: unknown): Generator<unknown> {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
  for (const key of Object.keys(value)) {
    const inner = (value as Record<string | number, unknown>)[key];
    const withValue = (v: unknown) => (Array.isArray(value) ? value.map((x, i) => (String(i) === key ? v : x)) : { ...value, [key]: v });
    for (const j of junk) yield withValue(j);
    for (const b of broken(inner)) yield withValue(b);
  }
}

describe('issue texts', () => {
  it("match zod's English locale for every way a message can be malformed", () => {
    const english = en().localeError;
    let compared = 0;
    for (const [schema, messages] of [[uiToSandboxSchema, toSandbox], [sandboxToUiSchema, toPanel]] as const) {
      for (const input of [...junk, { type: 'explode' }, ...messages.flatMap((m) => [...broken(m)])]) {
        const ours = schema.safeParse(input, { error: issueText });
        const zods = schema.safeParse(input, { error: english });
        expect(ours.success).toBe(zods.success);
        if (ours.error && zods.error) {
          expect(ours.error.issues.map((i) => i.message)).toEqual(zods.error.issues.map((i) => i.message));
          compared += ours.error.issues.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('say what was expected and what came', () => {
    const result = uiToSandboxSchema.safeParse({ type: 'export', rid: 'r', nodeIds: [], maxSide: 1.5, maskFor: 7 }, { error: issueText });
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'nodeIds: Too small: expected array to have >=1 items',
      'maxSide: Invalid input: expected int, received number',
      'maskFor: Invalid input: expected string, received number',
    ]);
  });
});
