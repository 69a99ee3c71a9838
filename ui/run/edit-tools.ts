// (issue 15) The edit tools' state on the panel side: which tool is open, the prompt written for
// it (kept per target and tool), Upscale's tier, the plans (lib/edit-tool-plan.ts) and starting
// one as an ordinary job through the run controller, so progress, Cancel, pending recovery,
// History and placement are the run's own. Select area and Discard original(s) are messages.
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { Tier } from '../../backend/pricing';
import type { EditTool, Selection } from '../../plugin/messages';
import { EDIT_TOOLS, defaultToolPrompt, toolBlocked, toolPlan, toolSpec, toolTarget, type ToolPlan, type ToolTarget } from '../lib/edit-tool-plan';
import type { ModelChoice } from '../lib/model-catalog';
import type { PanelChannel } from '../transport';
import type { JobSpec } from './job';

export interface EditToolsDeps {
  channel: Pick<PanelChannel, 'emit'>;
  selection: ReadonlySignal<Selection>;
  initialized: ReadonlySignal<boolean>;
  models: ReadonlySignal<readonly ModelChoice[]>;
  /** the form's model and tier */
  model: ReadonlySignal<ModelChoice>;
  tier: ReadonlySignal<Tier>;
  running: ReadonlySignal<boolean>;
  startSpecs(specs: JobSpec[]): void;
}

/** Prompts the user wrote, for one target (another target starts from the prefilled ones). */
interface Written {
  targetId: string;
  byTool: Partial<Record<EditTool, string>>;
}

export function createEditTools(deps: EditToolsDeps) {
  /** the tool the user picked; until then a layer with an area opens on it, any other on Expand */
  const chosen = signal<EditTool | null>(null);
  const upscaleTier = signal<Tier>('high');
  const written = signal<Written>({ targetId: '', byTool: {} });

  const target = computed<ToolTarget | null>(() => toolTarget(deps.selection.value.targets));
  const tool = computed<EditTool>(() => chosen.value ?? (target.value?.areaId ? 'area' : 'expand'));
  const promptOf = (t: ToolTarget, which: EditTool): string => {
    const own = written.value.targetId === t.id ? written.value.byTool[which] : undefined;
    return own ?? defaultToolPrompt(which, t.image?.prompt);
  };
  const prompt = computed(() => (target.value ? promptOf(target.value, tool.value) : ''));
  const choice = computed(() => ({ model: deps.model.value, tier: deps.tier.value, models: deps.models.value, upscaleTier: upscaleTier.value }));
  /** every tool's plan for the target (each button can say what it costs or why it can't run) */
  const plans = computed<Record<EditTool, ToolPlan> | null>(() => {
    const t = target.value;
    if (!t) return null;
    return Object.fromEntries(EDIT_TOOLS.map((which) => [which, toolPlan(which, t, choice.value, promptOf(t, which).trim().length)])) as Record<EditTool, ToolPlan>;
  });
  const plan = computed(() => plans.value?.[tool.value] ?? null);
  /** why Run is unavailable for the open tool; null when it can run */
  const blocked = computed(() => {
    if (!deps.initialized.value) return 'Connecting to Figma…';
    if (!plan.value) return 'Select one layer with an image.';
    return toolBlocked(plan.value, prompt.value) ?? (deps.running.value ? 'A run is going.' : null);
  });

  const write = (targetId: string, which: EditTool, text: string) => {
    const kept = written.peek().targetId === targetId ? written.peek().byTool : {};
    written.value = { targetId, byTool: { ...kept, [which]: text } };
  };

  return {
    target: target as ReadonlySignal<ToolTarget | null>,
    tool: tool as ReadonlySignal<EditTool>,
    prompt: prompt as ReadonlySignal<string>,
    plans: plans as ReadonlySignal<Record<EditTool, ToolPlan> | null>,
    plan: plan as ReadonlySignal<ToolPlan | null>,
    blocked: blocked as ReadonlySignal<string | null>,
    upscaleTier: upscaleTier as ReadonlySignal<Tier>,
    choose(next: EditTool) {
      chosen.value = next;
    },
    setPrompt(text: string) {
      const t = target.peek();
      if (t) write(t.id, tool.peek(), text);
    },
    chooseUpscaleTier(next: Tier) {
      upscaleTier.value = next;
    },
    /**
     * A relaunch button ("Expand to frame", "Upscale 2×"): the tool opens with the prompt given
     * (the image's recorded one), for the target selected now. Never runs: the estimate shows first.
     */
    open(which: EditTool, recorded: string, selection: Selection) {
      chosen.value = which;
      const t = toolTarget(selection.targets);
      const text = defaultToolPrompt(which, recorded);
      if (t && text) write(t.id, which, text);
    },
    run() {
      const t = target.peek();
      const p = plan.peek();
      if (!t || !p || blocked.peek()) return;
      const spec = toolSpec(p, t, prompt.peek());
      if (spec) deps.startSpecs([spec]);
    },
    /** Select area: the sandbox adds a "Framefill area" layer over the target and selects its shape */
    selectArea() {
      const t = target.peek();
      if (!t) return;
      chosen.value = 'area';
      deps.channel.emit({ type: 'create-area', targetId: t.id });
    },
    /** drops the originals kept hidden under the target's image (one undo step) */
    discardOriginals() {
      const t = target.peek();
      if (t?.image && t.image.originals > 0) deps.channel.emit({ type: 'discard-originals', targetId: t.id });
    },
  };
}
