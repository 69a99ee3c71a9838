import { describe, expect, it } from 'vitest';
import type { Selection, Target } from '../../plugin/messages';
import { buildPlan } from './plan';
import { withCurrentImageChoice } from './current-image';

const target = (id: string, extra: Partial<Target> = {}): Target => ({ id, name: id, type: 'FRAME', width: 400, height: 300, empty: true, maskId: null, ...extra });
const choice = { tier: 'medium', sizeMode: 'auto', customWidth: 1024, customHeight: 1024, hd: false, variations: 1 } as const;
const plan = (selection: Selection) => buildPlan({ selection, pinned: [], choice, promptChars: 20 });

describe('use current image as reference', () => {
  const selection: Selection = { targets: [target('filled', { framefillImage: true }), target('blank')], skipped: [] };

  it('by default a frame showing a Framefill image is filled again with a fresh generation', () => {
    const p = plan(withCurrentImageChoice(selection, false));
    expect(p.jobs.map((j) => [j.action, j.kind])).toEqual([['fill', 'generate'], ['fill', 'generate']]);
    expect(p.text).toMatch(/^Fill 1 empty frame · replace the image in 1 frame · /);
  });

  it('when chosen, that frame is restyled from its image; a blank frame is still filled', () => {
    const p = plan(withCurrentImageChoice(selection, true));
    expect(p.jobs.map((j) => [j.action, j.kind, j.sendsTarget])).toEqual([['restyle', 'edit', true], ['fill', 'generate', false]]);
  });
});
