// (issue 14) Lock the look's state in the panel: the switch, where the look comes from, the
// result picked as the look, and the plan as the switch changes it (the extra input's cost).
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { PriceBook } from '../../backend/pricing';
import { extraReferenceUsd, type PinnedRef, type Plan } from '../lib/plan';
import { sequencesLook, withLookEstimate, type LookSource } from '../run/look';

export interface LookSources {
  /** the plan as the rest of the panel makes it */
  plan: ReadonlySignal<Plan>;
  pinned: ReadonlySignal<PinnedRef[]>;
  book: ReadonlySignal<PriceBook | undefined>;
}

export function createLookState({ plan, pinned, book }: LookSources) {
  // Kept with the draft (panel-model.ts), so it comes back with the panel.
  const on = signal(false);
  const source = signal<LookSource>('first');
  /** the result the user picked on a card ("Use as the look") */
  const chosen = signal<{ jobId: string; index: number } | null>(null);
  const extraUsd = computed(() => extraReferenceUsd(book.value));
  /** the first image of the run sets the look: the run is sequenced and costs the extra inputs */
  const sequenced = computed(() => sequencesLook(on.value, plan.value.jobs.length, source.value, pinned.value.map((p) => p.id)));
  const lookedPlan = computed(() => (sequenced.value ? withLookEstimate(plan.value, extraUsd.value) : plan.value));
  return {
    on: on as ReadonlySignal<boolean>,
    source: source as ReadonlySignal<LookSource>,
    chosen: chosen as ReadonlySignal<{ jobId: string; index: number } | null>,
    extraUsd,
    sequenced,
    plan: lookedPlan,
    setOn(value: boolean) {
      on.value = value;
    },
    setSource(value: LookSource) {
      source.value = value;
    },
    choose(jobId: string, index: number) {
      chosen.value = { jobId, index };
    },
  };
}
