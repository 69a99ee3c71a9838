import { signal } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import type { Selection, Settings, Target } from '../../plugin/messages';
import { defaultSettings } from '../../plugin/settings-defaults';
import { FALLBACK_CHOICES } from '../lib/model-catalog';
import type { RunState } from '../run/context';
import { derive } from './derived';
import { createForm } from './form';

const photo = (id: string, title: string): Target => ({ id, name: 'Photo', type: 'FRAME', width: 1024, height: 1024, empty: true, maskId: null, texts: [title], parentName: `Card ${title}` });

function setup(settings: Partial<Settings> = {}) {
  const form = createForm();
  form.load({ ...defaultSettings(), accessToken: 't', ...settings });
  const selection = signal<Selection>({ targets: [photo('a', 'Copper kettle'), photo('b', 'Wool throw')], skipped: [] });
  const derived = derive({ ...form, models: signal(FALLBACK_CHOICES), initialized: signal(true), selection, runState: signal<RunState>({ jobs: [], notices: [] }) });
  form.setPrompt('Studio product photo of {text}');
  return { form, selection, derived };
}

describe('derived: per-frame lines and the confirm threshold (issue 14)', () => {
  it('keeps a line edit while the selection lasts and drops it when the selection changes', () => {
    const { derived, selection } = setup();
    derived.setPromptLine('b', 'A folded wool throw on a chair');
    expect(derived.plan.value.jobs.map((j) => j.prompt)).toEqual(['Studio product photo of Copper kettle', 'A folded wool throw on a chair']);
    // the texts changing (a title edited) keeps the edit: same layers
    selection.value = { targets: [photo('a', 'Copper pot'), photo('b', 'Wool throw')], skipped: [] };
    expect(derived.plan.value.jobs[1]!.prompt).toBe('A folded wool throw on a chair');
    selection.value = { targets: [photo('b', 'Wool throw')], skipped: [] };
    expect(derived.plan.value.jobs.map((j) => j.prompt)).toEqual(['Studio product photo of Wool throw']);
    // back to the first selection: the old edit does not come back
    selection.value = { targets: [photo('a', 'Copper kettle'), photo('b', 'Wool throw')], skipped: [] };
    expect(derived.plan.value.jobs[1]!.edited).toBe(false);
  });

  it('asks once above the threshold: confirmed, the same plan runs; a changed plan asks again', () => {
    const { derived, form } = setup({ tier: 'high', confirmAboveUsd: 0.3 });
    expect(derived.plan.value.totalUsd).toBeGreaterThan(0.3);
    expect(derived.asksFirst()).toBe(true);
    expect(derived.confirming.value).toBe(derived.plan.value.totalUsd);
    derived.confirmRun();
    expect(derived.confirming.value).toBeNull();
    expect(derived.asksFirst()).toBe(false);
    form.choose({ variations: 2 });
    expect(derived.asksFirst()).toBe(true);
    derived.dismissConfirm();
    expect(derived.confirming.value).toBeNull();
    form.choose({ tier: 'low', variations: 1 });
    expect(derived.asksFirst()).toBe(false);
  });
});
