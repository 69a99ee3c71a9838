// The Create form: the prompt, the pinned references and the settings the form edits (model, tier,
// transparency, size, HD, variations, stored together with the backend URL and token), and the ways they change.
import { signal, type ReadonlySignal } from '@preact/signals';
import type { Prefill, Settings } from '../../plugin/messages';
import type { PinnedRef } from '../lib/plan';
import { DEFAULT_SETTINGS, prefillChanges } from '../settings';

/** What fills the form in one go: a Regenerate or quick-action prefill, or a history Re-run. */
export type FormFill = Pick<Prefill, 'prompt' | 'tier' | 'size' | 'model' | 'transparent'> & { variations?: number };

export function createForm() {
  const prompt = signal('');
  const settings = signal<Settings>(DEFAULT_SETTINGS);
  const pinned = signal<PinnedRef[]>([]);
  const choose = (change: Partial<Settings>) => {
    settings.value = { ...settings.peek(), ...change };
  };
  return {
    prompt: prompt as ReadonlySignal<string>,
    settings: settings as ReadonlySignal<Settings>,
    pinned: pinned as ReadonlySignal<PinnedRef[]>,
    setPrompt(text: string) {
      prompt.value = text;
    },
    choose,
    setPinned(next: PinnedRef[]) {
      pinned.value = next;
    },
    /** the stored settings, as init brings them */
    load(stored: Settings) {
      settings.value = stored;
    },
    fill(fill: FormFill) {
      prompt.value = fill.prompt;
      const change = prefillChanges(fill);
      if (fill.variations) change.variations = Math.min(4, Math.max(1, fill.variations));
      choose(change);
    },
  };
}
