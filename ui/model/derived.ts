// What the panel derives from its state: the plan for the selection and form (with its cost
// estimate and problems), why Run is unavailable, and how the runs are going. Each is computed,
// so it is worked out again only when something it reads changes, and only its readers re-render.
import { computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { Selection, Settings, When } from '../../plugin/messages';
import { spendSoFar } from '../lib/cost-estimate';
import { nearestTier, resolveModel, type ModelChoice } from '../lib/model-catalog';
import { buildPlan, maxTargets, type PinnedRef } from '../lib/plan';
import type { PromptOverrides } from './form';
import { appendSuffix } from '../lib/prompt-suffix';
import { withCurrentImageChoice } from '../lib/current-image';
import type { RunState } from '../run/context';
import { isRunning, runProgress } from '../run/controller';
import { ACTIVE, DELIVERED } from '../run/job';
import { batchUsd, DEFAULT_BATCH_DISCOUNT } from '../lib/overnight-plan';
import { createLookState } from './look-state';
import { createSpendConfirm } from './spend-confirm';

export interface PanelSources {
  settings: ReadonlySignal<Settings>;
  /** the models the backend allows */
  models: ReadonlySignal<readonly ModelChoice[]>;
  initialized: ReadonlySignal<boolean>;
  selection: ReadonlySignal<Selection>;
  pinned: ReadonlySignal<PinnedRef[]>;
  prompt: ReadonlySignal<string>;
  runState: ReadonlySignal<RunState>;
  /** (issue 14) the plan's per-frame prompt edits, and how to change one */
  overrides: ReadonlySignal<PromptOverrides>;
  setOverride(selectionKey: string, id: string, text: string | null): void;
  /** (issue 14) the style kit's suffix, sent after the prompt; each frame's prompt is resolved from both */
  promptSuffix?: ReadonlySignal<string>;
  /** (issue 16) Now or Overnight, and the backend's batch discount: the price a run is asked about */
  when?: ReadonlySignal<When>;
  discount?: ReadonlySignal<number>;
}

/** A selection's identity for per-frame edits: the same layers, whatever their texts now say. */
const selectionKeyOf = (selection: Selection) => selection.targets.map((t) => t.id).join(',');

export function derive({ settings, models, initialized, selection, pinned, prompt, runState, overrides, setOverride, promptSuffix, when, discount }: PanelSources) {
  // What the form means with the models on offer: the stored choice may name a model this backend
  // doesn't allow (or hasn't listed yet), or a tier the model doesn't take; the stored value stays,
  // so it comes back once the backend offers it.
  const model = computed(() => resolveModel(models.value, settings.value.model));
  const tier = computed(() => nearestTier(model.value.tiers, settings.value.tier));
  const transparent = computed(() => settings.value.transparent && model.value.transparent !== 'no');
  /** HD as it applies: custom sizes are used exactly as typed */
  const hd = computed(() => settings.value.hd && settings.value.sizeMode !== 'custom');
  /** the prompt as sent: what was typed, then the kit's suffix (nothing when nothing was typed) */
  const sentPrompt = computed(() => {
    const typed = prompt.value.trim();
    return typed ? appendSuffix(typed, promptSuffix?.value ?? '') : '';
  });
  const promptChars = computed(() => sentPrompt.value.length);
  const selectionKey = computed(() => selectionKeyOf(selection.value));
  /** the per-frame edits, while the selection they were made for lasts */
  const promptLines = computed(() => (overrides.value.selectionKey === selectionKey.value ? overrides.value.byId : {}));
  // Another selection drops them for good: selecting the same layers again later starts afresh.
  // (Created inside the panel model's factory, so it ends with the model.)
  effect(() => {
    const key = selectionKey.value;
    if (overrides.peek().selectionKey !== key) setOverride(key, '', null);
  });
  // "Use current image as reference" (issue 13): a layer showing only a Framefill image is
  // restyled from it instead of filled afresh. Not stored: each choice is for the run at hand.
  const useCurrentImage = signal(false);
  const overnight = computed(() => when?.value === 'overnight');
  /** how many layers one Run takes (Overnight takes more) */
  const targetCap = computed(() => maxTargets(overnight.value));
  const plan = computed(() => {
    const { sizeMode, customWidth, customHeight, variations } = settings.value;
    const choice = { tier: tier.value, model: model.value.id, book: model.value.book, transparent: transparent.value, sizeMode, customWidth, customHeight, hd: hd.value, variations };
    // Each target's own prompt (fields filled, its line's edit) is part of the plan, so it follows the prompt as typed.
    return buildPlan({ selection: withCurrentImageChoice(selection.value, useCurrentImage.value), pinned: pinned.value, choice, promptChars: promptChars.value, prompt: sentPrompt.value, overrides: promptLines.value, overnight: overnight.value });
  });
  /** why Run is unavailable; null when it can run */
  const blocked = computed(() => (!initialized.value ? 'Connecting to Figma…' : !prompt.value.trim() ? 'Write a prompt to run.' : (plan.value.problems[0] ?? null)));
  const tokenMissing = computed(() => initialized.value && !settings.value.accessToken);
  const running = computed(() => isRunning(runState.value));
  const progress = computed(() => runProgress(runState.value));
  /** what this session's results cost so far (estimated until the backend says) */
  const spent = computed(() => spendSoFar(runState.value.jobs.map((j) => ({ cost: j.cost, active: ACTIVE.has(j.status), delivered: DELIVERED.has(j.status) }))));
  const setUseCurrentImage = (on: boolean) => {
    useCurrentImage.value = on;
  };
  /** edit one frame's line in the plan (null puts it back to the form's prompt) */
  const setPromptLine = (id: string, text: string | null) => setOverride(selectionKey.peek(), id, text);
  // (issue 14, look) Lock the look: its switch, and the plan with the look's extra inputs priced
  const look = createLookState({ plan, pinned, book: computed(() => model.value.book) });
  /** what Run spends: the plan with the look's inputs; overnight, at the batch price */
  const runUsd = computed(() => {
    const plan = look.plan.value;
    return overnight.value ? batchUsd(plan, discount?.value ?? DEFAULT_BATCH_DISCOUNT) : plan.totalUsd;
  });
  // Above Settings' threshold every spend asks once: Run in the run bar, Finalize and Re-run in their section.
  const spend = createSpendConfirm(computed(() => settings.value.confirmAboveUsd), running);
  /** the amount the run bar asks about; null when it isn't asking (or the plan has changed since) */
  const confirming = computed(() => (spend.question.value?.what === 'run' ? spend.question.value.usd : null));
  /** true (and the run bar asks) when this run costs more than the threshold and wasn't confirmed */
  const asksFirst = () => spend.asks('run', runUsd);
  return {
    model, tier, transparent, hd, plan, targetCap, blocked, tokenMissing, running, progress, spent, useCurrentImage: useCurrentImage as ReadonlySignal<boolean>, setUseCurrentImage,
    promptLines, setPromptLine, look, runUsd, spend, confirming, asksFirst, confirmRun: spend.confirm, dismissConfirm: spend.dismiss,
  };
}
