// Style kits in the panel (issue 14): picking applies a kit's choices and pins, the suffix goes
// after the prompt as sent, saving records the form, the defaults read clean under the linter.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Kit, SandboxToUi, UiToSandbox } from '../../plugin/messages';
import { DEFAULT_KITS } from '../lib/default-kits';
import { lintPrompt } from '../lib/prompt-lint';
import { TEST_SETTINGS, fakeImageOps, initMessage } from '../test/harness';
import { modelList } from '../test/model-list';
import { PanelModel } from './panel-model';
import { appendSuffix } from '../lib/prompt-suffix';

function setup() {
  const sent: UiToSandbox[] = [];
  let deliver: (raw: unknown) => void = () => undefined;
  const panel = new PanelModel({
    transport: { send: (m) => sent.push(m as UiToSandbox), listen: (handler) => ((deliver = handler), () => undefined) },
    imageOps: fakeImageOps,
    loadModels: async () => modelList(),
  });
  const receive = async (message: SandboxToUi) => {
    deliver(message);
    await Promise.resolve();
  };
  return { panel, sent, receive };
}

const fileKit: Kit = {
  id: 'k1',
  name: 'Brand studio',
  suffix: '85mm, rim light, teal and orange brand palette',
  references: [
    { id: '1:5', name: 'Swatch' },
    { id: '1:6', name: 'Deleted logo' },
  ],
  model: 'gpt-image-2',
  tier: 'high',
  sizeMode: '4:5',
};

afterEach(() => vi.unstubAllGlobals());

describe('appendSuffix', () => {
  it('puts the kit after the subject, once, with one comma', () => {
    expect(appendSuffix('A copper kettle', '50mm, softbox')).toBe('A copper kettle, 50mm, softbox');
    expect(appendSuffix('A copper kettle, ', ', 50mm, softbox')).toBe('A copper kettle, 50mm, softbox');
    expect(appendSuffix('A copper kettle, 50mm, softbox', '50mm, softbox')).toBe('A copper kettle, 50mm, softbox');
    expect(appendSuffix('A copper kettle', '  ')).toBe('A copper kettle');
  });
});

describe('default kits', () => {
  it('each adds only a tail that passes the prompt linter, subject first, even in HD', () => {
    expect(DEFAULT_KITS.length).toBeGreaterThanOrEqual(4);
    for (const kit of DEFAULT_KITS) {
      expect(lintPrompt(appendSuffix('A ceramic mug on a walnut desk', kit.suffix), { hd: true }), kit.name).toEqual([]);
      expect(lintPrompt(kit.suffix, { hd: false }), kit.name).toEqual([]);
      expect(kit.suffix, kit.name).not.toMatch(/\b(no|not|without|avoid|don't)\b/i);
    }
    expect(DEFAULT_KITS.find((k) => k.name === 'Studio product')?.suffix).toBe('50mm, softbox key light, seamless light-grey backdrop, crisp commercial product photography');
  });
});

describe('kits in the panel', () => {
  it('asks the sandbox for the kits once it is there and lists the file, personal and default kits', async () => {
    const { panel, sent, receive } = setup();
    await receive(initMessage());
    expect(sent.some((m) => m.type === 'load-kits')).toBe(true);
    await receive({ type: 'kits', file: [fileKit], personal: [], problem: undefined });
    expect(panel.kits.lists.value.file).toEqual([fileKit]);
    expect(panel.kits.lists.value.defaults).toBe(DEFAULT_KITS);
    // a teammate's new file kit shows once the kits are read again
    const loads = sent.filter((m) => m.type === 'load-kits').length;
    panel.kits.refresh();
    expect(sent.filter((m) => m.type === 'load-kits')).toHaveLength(loads + 1);
    panel[Symbol.dispose]();
  });

  it('picking a kit applies its model, tier and size mode, pins the references still there and says which are gone', async () => {
    const { panel, sent, receive } = setup();
    await receive(initMessage({ settings: { ...TEST_SETTINGS, tier: 'low', sizeMode: 'auto' } }));
    await receive({ type: 'kits', file: [fileKit], personal: [] });
    panel.setPinned([{ id: '1:1', name: 'My own pin' }]);
    panel.kits.pick('file', 'k1');
    expect(panel.settings.value).toMatchObject({ tier: 'high', sizeMode: '4:5', model: 'gpt-image-2' });
    const ask = sent.find((m): m is Extract<UiToSandbox, { type: 'find-kit-refs' }> => m.type === 'find-kit-refs')!;
    expect(ask.ids).toEqual(['1:5', '1:6']);
    await receive({ type: 'kit-refs', rid: ask.rid, refs: [{ id: '1:5', name: 'Swatch' }] });
    expect(panel.pinned.value.map((p) => p.id)).toEqual(['1:1', '1:5']);
    expect(panel.kits.notice.value).toMatch(/1 reference layer of “Brand studio” is no longer in this file/);

    // another kit takes the first kit's pins off again, not the user's own
    panel.kits.pick('default', 'default:flat-illustration');
    expect(panel.pinned.value.map((p) => p.id)).toEqual(['1:1']);
    expect(panel.settings.value).toMatchObject({ tier: 'low', sizeMode: '4:3' });
    panel[Symbol.dispose]();
  });

  it('a run with a kit sends the prompt with its suffix; without one, the prompt as typed', async () => {
    vi.stubGlobal('fetch', vi.fn((_u: unknown, init?: RequestInit) => new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))));
    const { panel, receive } = setup();
    await receive(initMessage());
    panel.setPrompt('A copper kettle');
    panel.kits.pick('default', 'default:studio-product');
    panel.run();
    expect(panel.runState.value.jobs[0]!.spec.prompt).toBe('A copper kettle, 50mm, softbox key light, seamless light-grey backdrop, crisp commercial product photography');
    panel.cancel();
    panel.kits.pick('default', null);
    expect(panel.kits.promptFor('A copper kettle')).toBe('A copper kettle');
    panel[Symbol.dispose]();
  });

  it('remembers the kit in use and, when the panel opens again, applies its suffix and pins without resetting the form', async () => {
    const first = setup();
    await first.receive(initMessage());
    await first.receive({ type: 'kits', file: [fileKit], personal: [] });
    first.panel.kits.pick('file', 'k1');
    expect(first.sent.filter((m) => m.type === 'choose-kit').at(-1)).toEqual({ type: 'choose-kit', choice: { source: 'file', id: 'k1' } });
    first.panel.kits.pick('default', null);
    expect(first.sent.filter((m) => m.type === 'choose-kit').at(-1)).toEqual({ type: 'choose-kit', choice: null });
    first.panel[Symbol.dispose]();

    const { panel, sent, receive } = setup();
    await receive(initMessage({ settings: { ...TEST_SETTINGS, tier: 'low', sizeMode: '1:1' } }));
    await receive({ type: 'kits', file: [fileKit], personal: [], choice: { source: 'file', id: 'k1' } });
    expect(panel.kits.inUse.value).toMatchObject({ source: 'file', kit: { id: 'k1' } });
    expect(panel.kits.promptFor('A kettle')).toBe(`A kettle, ${fileKit.suffix}`);
    expect(panel.settings.value).toMatchObject({ tier: 'low', sizeMode: '1:1' }); // the user's later choices stand
    expect(sent.some((m) => m.type === 'find-kit-refs')).toBe(true);
    panel[Symbol.dispose]();
  });

  it('forgets a remembered kit that is no longer in the file', async () => {
    const { panel, receive } = setup();
    await receive(initMessage());
    await receive({ type: 'kits', file: [], personal: [], choice: { source: 'file', id: 'k1' } });
    expect(panel.kits.inUse.value).toBeNull();
    expect(panel.kits.promptFor('A kettle')).toBe('A kettle');
    panel[Symbol.dispose]();
  });

  it('saves the current form and pins as a kit in the file, and deletes it; defaults cannot be deleted', async () => {
    const { panel, sent, receive } = setup();
    await receive(initMessage({ settings: { ...TEST_SETTINGS, tier: 'medium', sizeMode: '3:4' } }));
    panel.setPinned([{ id: '1:7', name: 'Mood board' }]);
    panel.kits.save('  Spring campaign ', 'soft pastel daylight, airy editorial photography', 'file');
    const save = sent.find((m): m is Extract<UiToSandbox, { type: 'save-kit' }> => m.type === 'save-kit')!;
    expect(save.scope).toBe('file');
    expect(save.kit).toMatchObject({ name: 'Spring campaign', suffix: 'soft pastel daylight, airy editorial photography', tier: 'medium', sizeMode: '3:4', references: [{ id: '1:7', name: 'Mood board' }] });
    expect(panel.kits.inUse.value).toMatchObject({ source: 'file', kit: { name: 'Spring campaign' } });
    panel.kits.remove();
    expect(sent.find((m) => m.type === 'delete-kit')).toEqual({ type: 'delete-kit', scope: 'file', id: save.kit.id });
    expect(sent.at(-1)).toEqual({ type: 'choose-kit', choice: null });
    panel.kits.pick('default', 'default:isometric-3d');
    const before = sent.length;
    panel.kits.remove();
    expect(sent.length).toBe(before);
    panel[Symbol.dispose]();
  });
});
