// The Create form: the prompt, the pinned references and the settings the form edits (model, tier,
// transparency, size, HD, variations, stored together with the backend URL and token), and the ways they change.
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { Prefill, Settings, When } from '../../plugin/messages';
import type { PinnedRef } from '../lib/plan';
import { DEFAULT_SETTINGS, prefillChanges } from '../settings';

/** What fills the form in one go: a Regenerate or quick-action prefill, or a history Re-run. */
export type FormFill = Pick<Prefill, 'prompt' | 'tier' | 'size' | 'model' | 'transparent'> & { variations?: number };

const SIZE_KEYS = ['sizeMode', 'customWidth', 'customHeight'] as const satisfies readonly (keyof Settings)[];
type SizeChoice = Partial<Pick<Settings, (typeof SIZE_KEYS)[number]>>;

/** Per-frame edits of the plan's prompt lines (issue 14), for one selection (its target ids). */
export interface PromptOverrides {
  selectionKey: string;
  byId: Readonly<Record<string, string>>;
}

const touchesSize = (change: Partial<Settings>) => SIZE_KEYS.some((key) => key in change);

export function createForm() {
  const prompt = signal('');
  /** the user's own choices: what is stored and what the form returns to */
  const stored = signal<Settings>(DEFAULT_SETTINGS);
  /**
   * A fill's exact size (a Re-run's "Custom 992×672") applies to that run only: once it has run,
   * the next frame gets the user's size mode again, and it is never stored as their choice.
   */
  const once = signal<SizeChoice | null>(null);
  const settings = computed<Settings>(() => (once.value ? { ...stored.value, ...once.value } : stored.value));
  /** (issue 16) the user's When; a fill runs Now, for that run only (a Regenerate never schedules a batch) */
  const storedWhen = signal<When>('now');
  const whenOnce = signal<When | null>(null);
  const when = computed(() => whenOnce.value ?? storedWhen.value);
  const pinned = signal<PinnedRef[]>([]);
  const overrides = signal<PromptOverrides>({ selectionKey: '', byId: {} });
  const choose = (change: Partial<Settings>) => {
    // Editing the size while a fill's size shows keeps what is shown and makes it the user's.
    const base = touchesSize(change) && once.peek() ? { ...stored.peek(), ...once.peek() } : stored.peek();
    if (touchesSize(change)) once.value = null;
    stored.value = { ...base, ...change };
  };
  return {
    prompt: prompt as ReadonlySignal<string>,
    settings: settings as ReadonlySignal<Settings>,
    /** the settings as the user chose them (a fill's one-off size left out): what is saved */
    stored: stored as ReadonlySignal<Settings>,
    pinned: pinned as ReadonlySignal<PinnedRef[]>,
    when,
    /** the When the user chose (a fill's Now left out): what the draft keeps */
    storedWhen: storedWhen as ReadonlySignal<When>,
    setWhen(value: When) {
      whenOnce.value = null;
      storedWhen.value = value;
    },
    overrides: overrides as ReadonlySignal<PromptOverrides>,
    setPrompt(text: string) {
      prompt.value = text;
    },
    choose,
    /** one frame's own prompt (null: back to the form's); edits of another selection are dropped */
    setOverride(selectionKey: string, id: string, text: string | null) {
      const kept = overrides.peek().selectionKey === selectionKey ? { ...overrides.peek().byId } : {};
      if (text === null) delete kept[id];
      else kept[id] = text;
      overrides.value = { selectionKey, byId: kept };
    },
    setPinned(next: PinnedRef[]) {
      pinned.value = next;
    },
    /** the stored settings, as init brings them */
    load(saved: Settings) {
      once.value = null;
      stored.value = saved;
    },
    fill(fill: FormFill) {
      prompt.value = fill.prompt;
      const change = prefillChanges(fill);
      if (fill.variations) change.variations = Math.min(4, Math.max(1, fill.variations));
      const size: SizeChoice = {};
      for (const key of SIZE_KEYS) {
        if (key in change) Object.assign(size, { [key]: change[key] });
        delete change[key];
      }
      stored.value = { ...stored.peek(), ...change };
      once.value = Object.keys(size).length > 0 ? size : null;
      whenOnce.value = 'now';
    },
    /** the fill has run: its one-off size and When give way to the user's */
    endFill() {
      once.value = null;
      whenOnce.value = null;
    },
  };
}
