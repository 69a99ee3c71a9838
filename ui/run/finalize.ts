// Draft → Finalize and bulk re-run (issue 14), the panel side: which Framefill images the sandbox
// reports (selected, and all on the page), the final setting the user picks, the two plans
// (lib/finalize-plan.ts) and starting them as one run of ordinary jobs, so progress, Cancel,
// pending recovery, History and placement (in place, one undo step each) are the run's own.
import { computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { Tier } from '../../backend/pricing';
import type { FramefillImage, Selection } from '../../plugin/messages';
import { EXPORT_MAX_SIDE } from '../config';
import { finalizePlan, rerunPlan, type FinalChoice, type RerunJob } from '../lib/finalize-plan';
import { nearestTier, resolveModel, type ModelChoice } from '../lib/model-catalog';
import type { PanelChannel } from '../transport';
import type { JobSpec } from './job';

export interface FinalizeDeps {
  channel: PanelChannel;
  selection: ReadonlySignal<Selection>;
  initialized: ReadonlySignal<boolean>;
  models: ReadonlySignal<readonly ModelChoice[]>;
  running: ReadonlySignal<boolean>;
  startSpecs(specs: JobSpec[]): void;
  /** the style kit's suffix in use (issue 14: a bulk re-run "with a new kit") */
  suffix?: ReadonlySignal<string>;
}

/** The job the run controller takes: one image, on the Framefill image's own layer. */
export function specOf(job: RerunJob): JobSpec {
  const { image } = job;
  const edit = job.kind === 'edit';
  return {
    kind: job.kind,
    targetId: image.id,
    targetName: image.name,
    ...(image.parentName ? { targetContext: image.parentName } : {}),
    prompt: job.prompt,
    tier: job.tier,
    size: job.size,
    n: 1,
    referenceIds: [],
    // The draft itself (its layer exported) is the reference of its final version.
    sendsTarget: edit,
    ...(edit ? { inPlace: true } : {}),
    maskId: null,
    exportMaxSide: EXPORT_MAX_SIDE,
    outputFormat: job.outputFormat,
    model: job.model,
    transparent: job.transparent,
    estimateUsd: job.estimateUsd,
  };
}

export function createFinalize(deps: FinalizeDeps) {
  const images = signal<{ selected: FramefillImage[]; onPage: FramefillImage[] }>({ selected: [], onPage: [] });
  /** null: the backend's default model (drafts are often made with the fast one) */
  const model = signal<string | null>(null);
  const tier = signal<Tier>('high');
  const hd = signal(false);
  const choiceModel = computed(() => {
    const list = deps.models.value;
    return resolveModel(list, model.value ?? list.find((m) => m.default)?.id ?? '');
  });
  const choice = computed<FinalChoice>(() => {
    const m = choiceModel.value;
    return { model: m.id, tier: nearestTier(m.tiers, tier.value), book: m.book, transparentOk: m.transparent !== 'no', hd: hd.value, suffix: deps.suffix?.value ?? '' };
  });
  const selected = computed(() => images.value.selected);
  const finalize = computed(() => finalizePlan(images.value.selected, images.value.onPage, choice.value));
  const rerun = computed(() => rerunPlan(images.value.selected, choice.value));

  const off = deps.channel.on('framefill-images', (m) => {
    images.value = { selected: m.selected, onPage: m.onPage };
  });
  // Every selection message (a new selection, a placement, an Undo) may change which images are
  // Framefill's and how they were made: ask again.
  effect(() => {
    if (deps.initialized.value && deps.selection.value) deps.channel.emit({ type: 'framefill-images', selectAll: false });
  });
  effect(() => off); // the listener ends with the panel model

  const start = (jobs: RerunJob[]) => {
    if (deps.running.peek() || jobs.length === 0) return;
    deps.startSpecs(jobs.map(specOf));
  };

  return {
    /** the Framefill images in the selection */
    selected: selected as ReadonlySignal<FramefillImage[]>,
    /** how many Framefill images the current page holds */
    onPage: computed(() => images.value.onPage.length) as ReadonlySignal<number>,
    choiceModel: choiceModel as ReadonlySignal<ModelChoice>,
    choice: choice as ReadonlySignal<FinalChoice>,
    finalizePlan: finalize,
    rerunPlan: rerun,
    chooseModel(id: string) {
      model.value = id;
    },
    chooseTier(next: Tier) {
      tier.value = next;
    },
    /** HD: twice the layer's size; off: the draft's own size */
    setHd(on: boolean) {
      hd.value = on;
    },
    /** "Select Framefill images on this page" */
    selectAll: () => deps.channel.emit({ type: 'framefill-images', selectAll: true }),
    finalize: () => start(finalize.peek().jobs),
    rerun: () => start(rerun.peek().jobs),
  };
}
