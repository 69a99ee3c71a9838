import { signal } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import type { Selection, Settings, Target } from '../../plugin/messages';
import { defaultSettings } from '../../plugin/settings-defaults';
import { FALLBACK_CHOICES } from '../lib/model-catalog';
import type { RunState } from '../run/context';
import { batchUsd } from '../lib/overnight-plan';
import { derive } from './derived';
import { createForm } from './form';

const photo = (id: string, title: string): Target => ({ id, name: 'Photo', type: 'FRAME', width: 1024, height: 1024, empty: true, maskId: null, texts: [title], parentName: `Card ${title}` });

function setup(settings: Partial<Settings> = {}) {
  const form = createForm();
  form.load({ ...defaultSettings(), accessToken: 't', ...settings });
  const selection = signal<Selection>({ targets: [photo('a', 'Copper kettle'), photo('b', 'Wool throw')], skipped: [] });
  const discount = signal(0.5);
  const derived = derive({ ...form, models: signal(FALLBACK_CHOICES), initialized: signal(true), selection, runState: signal<RunState>({ jobs: [], notices: [] }), discount });
  form.setPrompt('Studio product photo of {text}');
  return { form, selection, derived, discount };
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

  it('asks about the price actually paid: the batch total overnight, the look\'s extra inputs when locked', () => {
    const { derived, form, discount } = setup({ tier: 'high' });
    const nowUsd = derived.plan.value.totalUsd;
    // above the threshold Now, below it at half price overnight: the overnight run goes without asking
    form.choose({ confirmAboveUsd: 0.3 });
    expect(nowUsd).toBeGreaterThan(0.3);
    form.setWhen('overnight');
    expect(derived.asksFirst()).toBe(false);
    // above it even overnight: the question names the overnight total, not the Now one
    form.choose({ confirmAboveUsd: 0.1 });
    expect(derived.asksFirst()).toBe(true);
    expect(derived.confirming.value).toBe(batchUsd(derived.plan.value, 0.5));
    discount.value = 0.6; // the backend's own discount changes the price: the question lapses
    expect(derived.confirming.value).toBeNull();
    // Now, with Lock the look: the threshold at the plain total, the look's inputs take it over
    form.setWhen('now');
    form.choose({ confirmAboveUsd: nowUsd });
    expect(derived.asksFirst()).toBe(false);
    derived.look.setOn(true);
    expect(derived.asksFirst()).toBe(true);
    expect(derived.confirming.value).toBe(derived.look.plan.value.totalUsd);
    expect(derived.confirming.value).toBeGreaterThan(nowUsd);
  });
});
