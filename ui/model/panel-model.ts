// The panel's one model: the state the panel holds (tab, form, selection, history, runs), what is
// derived from it (derived.ts) and every action a component may take. Built with createModel, so
// its effects (sandbox listeners, the delayed save, the run store's mirror) end with it; components
// get it from usePanel() and re-render when a signal they read changes.
import { batch, computed, createModel, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { ModelList } from '../../backend/contract';
import type { Draft, HistoryEntry, Selection, Settings } from '../../plugin/messages';
import type { Transport } from '../../plugin/events';
import { MAX_UPLOAD_BYTES, OVERNIGHT_POLL_MS, RUN_CONCURRENCY } from '../config';
import { BackendClient } from '../lib/backend-client';
import { createLimiter } from '../lib/concurrency';
import { describeError } from '../lib/error-messages';
import { newId } from '../lib/ids';
import { formatUsd } from '../lib/format';
import { withTotal } from '../lib/plan';
import { FALLBACK_CHOICES, modelChoices, nearestTier, resolveModel, type ModelChoice } from '../lib/model-catalog';
import { composeExpand, fitSourceWithin, makeThumbnail, prepareEditUploads } from '../lib/image-canvas';
import type { ImageOps } from '../run/context';
import { createRunController } from '../run/controller';
import { createFinalize } from '../run/finalize';
import { createEditTools } from '../run/edit-tools';
import { placeFromHistory } from './history-place';
import { recordHistory } from './history-record';
import { withDefaults } from '../settings';
import { createPanelChannel, createRequester } from '../transport';
import { derive } from './derived';
import { createForm, type FormFill } from './form';
import { createSettingsSaver } from './settings-saver';
import { signalOf } from './store-signal';
import { createKits } from './kits';
import { createOvernight } from '../run/overnight';
import { batchUsd, framesOnTheWay, onTheWayNote, onTheWayProblem, overnightProblem } from '../lib/overnight-plan';

export type TabId = 'create' | 'history' | 'settings';
/** (issue 16) when a run's images are made */
export type { When } from '../../plugin/messages';

export interface PanelDeps {
  /** defaults to postMessage with the parent frame */
  transport?: Transport;
  /** defaults to the canvas implementation */
  imageOps?: ImageOps;
  /** the models a backend allows; defaults to GET /v1/models */
  loadModels?(connection: Pick<Settings, 'backendUrl' | 'accessToken'>, signal: AbortSignal): Promise<ModelList>;
}

const fetchModels: NonNullable<PanelDeps['loadModels']> = (connection, signal) => new BackendClient(connection).models(signal);

const EMPTY_SELECTION: Selection = { targets: [], skipped: [] };

export const PanelModel = createModel(({ transport, imageOps, loadModels = fetchModels }: PanelDeps = {}) => {
  const channel = createPanelChannel(transport);
  const requester = createRequester(channel);
  const form = createForm();
  const client = () => new BackendClient({ backendUrl: form.settings.peek().backendUrl, accessToken: form.settings.peek().accessToken });
  const ops = imageOps ?? { prepareEditUploads, makeThumbnail, fitSourceWithin, composeExpand };
  const controller = createRunController({
    emit: (m) => channel.emit(m),
    requester,
    client,
    imageOps: ops,
    limiter: createLimiter(RUN_CONCURRENCY),
    newId,
    now: () => Date.now(),
    uploadBudget: MAX_UPLOAD_BYTES,
  });
  const tab = signal<TabId>('create');
  const initialized = signal(false);
  const selection = signal<Selection>(EMPTY_SELECTION);
  const history = signal<HistoryEntry[]>([]);
  const runState = signalOf(controller.store);
  /** the models the backend allows; gpt-image-2 at published prices until it says */
  const models = signal<readonly ModelChoice[]>(FALLBACK_CHOICES);
  const saver = createSettingsSaver(form.stored, initialized, (settings) => channel.emit({ type: 'save-settings', settings }));
  // (issue 14, kits) style kits: their suffix goes after the prompt on every run
  const kits = createKits({ channel, settings: form.settings, pinned: form.pinned, choose: form.choose, setPinned: form.setPinned, newId });
  // The plan resolves each frame's prompt from what is sent: the prompt with the kit's suffix.
  const promptSuffix = computed(() => kits.inUse.value?.kit.suffix ?? '');
  // (issue 16) When: Now, or Overnight — one batch at the batch price, placed when the file is next opened
  const overnight = createOvernight({ requester, client, imageOps: ops, newId, now: () => Date.now(), uploadBudget: MAX_UPLOAD_BYTES, emit: (m) => channel.emit(m), history });
  // The form's When and the batch discount price the run the threshold asks about.
  const derived = derive({ ...form, models, initialized, selection, runState, promptSuffix, discount: overnight.discount });
  // (issue 14, look) Lock the look: its switch, and the plan with the look's extra inputs priced
  const look = derived.look;
  // The prompt being written, and the form's choices that aren't settings, come back when the panel
  // is opened again (issue 13). A fill's one-off Now isn't the user's choice: the stored When is kept.
  // An overnight scheduling that got no answer rides along (a Run of the same plan reuses its key),
  // and is saved at once: the panel may be closed right after the failure.
  const draft = computed<Draft>(() => {
    const retry = overnight.unanswered.value;
    return { prompt: form.prompt.value, lockLook: look.on.value, when: form.storedWhen.value, ...(retry ? { overnightRetry: retry } : {}) };
  });
  const draftSaver = createSettingsSaver(draft, initialized, (value) => channel.emit({ type: 'save-draft', draft: value }));
  effect(() => {
    void overnight.unanswered.value;
    if (initialized.peek()) draftSaver.saveNow();
  });
  recordHistory({ runState, history, initialized, imageOps: imageOps ?? { makeThumbnail }, emit: (m) => channel.emit(m), now: () => Date.now() });

  const when = form.when;
  /** what the plan costs overnight, at the backend's discount (its default until a batch told it) */
  const overnightUsd = computed(() => batchUsd(look.plan.value, overnight.discount.value));
  /** the plan line as shown: its total is the one Run will spend, the batch price when Overnight */
  const planLine = computed(() => (when.value === 'overnight' ? withTotal(look.plan.value.text, `≈ ${formatUsd(overnightUsd.value)} overnight`) : look.plan.value.text));
  /** how many selected frames already have an overnight image on the way */
  const onTheWay = computed(() => framesOnTheWay(look.plan.value, overnight.waitingTargets.value));
  /** Now over such frames: what the user should know (their overnight image will replace it) */
  const onTheWayNow = computed(() => (when.value === 'now' ? onTheWayNote(onTheWay.value) : null));
  const blocked = computed(() => {
    const reason = derived.blocked.value;
    if (reason || when.value === 'now') return reason;
    if (overnight.scheduling.value) return 'Scheduling the overnight run…';
    return overnightProblem(look.plan.value, look.sequenced.value) ?? onTheWayProblem(onTheWay.value);
  });

  // (issue 14, finalize) Draft → Finalize and bulk re-run over Framefill's images
  const finalizeRuns = createFinalize({ channel, selection, initialized, models, running: derived.running, startSpecs: (specs) => controller.startSpecs(specs), suffix: promptSuffix });
  // Above Settings' threshold Finalize and Re-run ask once too, in their section, about their own totals.
  const finalizeSpends = {
    finalize: { usd: computed(() => finalizeRuns.finalizePlan.value.totalUsd), go: finalizeRuns.finalize },
    rerun: { usd: computed(() => finalizeRuns.rerunPlan.value.totalUsd), go: finalizeRuns.rerun },
  };
  const spendOn = (what: keyof typeof finalizeSpends) => {
    if (derived.running.peek() || derived.spend.asks(what, finalizeSpends[what].usd)) return;
    finalizeSpends[what].go();
  };
  const finalizeQuestion = computed(() => {
    const q = derived.spend.question.value;
    return q && q.what !== 'run' ? { what: q.what, usd: q.usd } : null;
  });
  const finalize = {
    ...finalizeRuns,
    finalize: () => spendOn('finalize'),
    rerun: () => spendOn('rerun'),
    /** what Finalize or Re-run asks before spending; null when neither is asking */
    question: finalizeQuestion as ReadonlySignal<{ what: keyof typeof finalizeSpends; usd: number } | null>,
    /** "Finalize anyway" / "Re-run anyway" */
    goAnyway() {
      const q = finalizeQuestion.peek();
      if (!q) return;
      derived.spend.confirm();
      spendOn(q.what);
    },
    dismiss: derived.spend.dismiss,
  };

  // (issue 15) the edit tools on one selected image: Expand, Select area, Cut out, Upscale
  const tools = createEditTools({ channel, selection, initialized, models, model: derived.model, tier: derived.tier, running: derived.running, startSpecs: (specs) => controller.startSpecs(specs) });

  const run = () => {
    if (blocked.peek() || derived.running.peek()) return;
    // (issue 14, fields) above Settings' threshold the run bar asks once first
    if (derived.asksFirst()) return;
    saver.saveNow();
    if (when.peek() === 'overnight') {
      void overnight.schedule(derived.plan.peek(), kits.promptFor(form.prompt.peek().trim()), derived.tier.peek());
      form.endFill();
      return;
    }
    controller.start(derived.plan.peek(), kits.promptFor(form.prompt.peek().trim()), derived.tier.peek(), look.sequenced.peek() ? { extraUsd: look.extraUsd.peek() } : undefined);
    form.endFill();
  };
  const restoreDraft = (saved: Draft) => {
    form.setPrompt(saved.prompt);
    // drafts saved before the choices were kept leave them as they are
    if (saved.lockLook !== undefined) look.setOn(saved.lockLook);
    if (saved.when) form.setWhen(saved.when);
    if (saved.overnightRetry) overnight.resume(saved.overnightRetry);
  };
  const fill = (change: FormFill) => {
    form.fill(change);
    tab.value = 'create';
  };

  // The backend's models, asked again whenever the backend or token changes (init, Settings' Save).
  // Until it answers, or when it can't, gpt-image-2 is offered as any Framefill backend takes it.
  // A string, so the effect reruns only when the URL or token changes, not on every form change.
  const connection = computed(() => (initialized.value ? JSON.stringify([form.settings.value.backendUrl, form.settings.value.accessToken]) : ''));
  effect(() => {
    if (!connection.value) return;
    const [backendUrl, accessToken] = JSON.parse(connection.value) as [string, string];
    if (!accessToken) return;
    const abort = new AbortController();
    loadModels({ backendUrl, accessToken }, abort.signal).then(
      (list) => {
        const choices = modelChoices(list);
        if (abort.signal.aborted || choices.length === 0) return;
        models.value = choices;
        // (issue 16) Overnight's total at the deployment's discount from the start
        const { batchDiscount, batchMaxItems } = (choices.find((c) => c.default) ?? choices[0])!;
        if (batchDiscount !== undefined) overnight.knowDiscount(batchDiscount);
        if (batchMaxItems !== undefined) overnight.knowMaxItems(batchMaxItems);
      },
      (error: unknown) => {
        if (!abort.signal.aborted) console.warn(`[framefill] couldn't list the backend's models: ${describeError(error).message}`);
      },
    );
    return () => abort.abort();
  });

  // (issue 16) While the panel is open, overnight batches still running are looked at now and
  // then: their progress shows, and what finished lands without reopening.
  effect(() => {
    if (!initialized.value) return;
    const timer = setInterval(() => void overnight.refresh(), OVERNIGHT_POLL_MS);
    return () => clearInterval(timer);
  });

  // The sandbox, for as long as the model lives. Disposing leaves runs going on the backend; the
  // next panel recovers them from the sandbox's pending list.
  effect(() => {
    const offs = [
      channel.on('init', (m) => {
        batch(() => {
          const stored = withDefaults(m.settings);
          saver.markSaved(stored);
          form.load(stored);
          if (m.draft) restoreDraft(m.draft);
          draftSaver.markSaved(draft.peek());
          selection.value = m.selection;
          history.value = m.history;
          // (issue 15) a tool's relaunch button opens that tool, prompt prefilled; it never runs at once
          if (m.prefill?.tool) tools.open(m.prefill.tool, m.prefill.prompt, m.selection);
          else if (m.prefill) fill(m.prefill);
          initialized.value = true;
        });
        if (m.pending.length > 0) void controller.recover(m.pending);
        // (issue 16) the file's overnight batches: what finished is placed now
        if (m.scheduled?.length) void overnight.load(m.scheduled, m.scheduledPlaced ?? []);
        if (m.prefill?.autoRun && !m.prefill.tool) run();
      }),
      channel.on('selection', (m) => {
        selection.value = m.selection;
      }),
      channel.on('history', (m) => {
        history.value = m.history;
      }),
      // (issue 13, loop) results whose placement was undone stop saying "Placed"
      channel.on('placements', (m) => controller.canvasChanged(m.placements)),
      channel.on('scheduled', (m) => overnight.sandboxSaid(m.problem)),
    ];
    channel.emit({ type: 'ready' });
    return () => {
      for (const off of offs) off();
      controller.dispose();
      requester.close();
      channel.close();
    };
  });

  return {
    tab: tab as ReadonlySignal<TabId>,
    initialized: initialized as ReadonlySignal<boolean>,
    selection: selection as ReadonlySignal<Selection>,
    history: history as ReadonlySignal<HistoryEntry[]>,
    prompt: form.prompt,
    settings: form.settings,
    pinned: form.pinned,
    runState,
    kits, // (issue 14)
    models: models as ReadonlySignal<readonly ModelChoice[]>,
    ...derived,
    finalize,
    tools, // (issue 15)
    // (issue 14, look) the plan shown and run includes Lock the look's extra inputs
    plan: look.plan,
    look,
    // (issue 16) overnight runs
    blocked,
    when,
    setWhen: form.setWhen,
    overnight,
    overnightUsd,
    planLine,
    onTheWayNow: onTheWayNow as ReadonlySignal<string | null>,
    /** "Re-run the rest" with the result picked as the look; each replaces its image in place */
    rerunWithLook: (jobId: string, index: number) => controller.rerunWithLook(jobId, index, look.extraUsd.peek()),

    setTab(id: TabId) {
      tab.value = id;
    },
    setPrompt: form.setPrompt,
    /** a change to tier, size, HD or variations */
    choose: form.choose,
    /** the model picker: a model that doesn't take the current tier gets the nearest it takes */
    chooseModel(id: string) {
      const next = resolveModel(models.peek(), id);
      form.choose({ model: next.id, tier: nearestTier(next.tiers, derived.tier.peek()) });
    },
    setPinned: form.setPinned,
    run,
    /** (issue 14, fields) the run bar's "Run anyway": the estimate was seen and accepted */
    runAnyway() {
      derived.confirmRun();
      run();
    },
    cancel: () => controller.cancel(),
    retry: (jobId: string) => controller.retry(jobId),
    place: (jobId: string, which: number | 'all') => void controller.place(jobId, which),
    discard: (jobId: string) => controller.discard(jobId),
    dismiss: (jobId: string) => controller.dismiss(jobId),
    dismissNotice: (id: string) => controller.dismissNotice(id),

    /** History's Re-run: the entry's prompt and choices in the form, on the Create tab */
    // An overnight entry's images are one per frame, not variations: its re-run makes one each.
    rerun: (entry: HistoryEntry) => fill({ prompt: entry.prompt, model: entry.model, transparent: entry.transparent, tier: entry.tier, size: entry.size, variations: entry.overnight ? 1 : entry.variations }),
    /** History's Place (again) of image `index`; resolves to the line to show */
    async placeAgain(entry: HistoryEntry, index = 0): Promise<string> {
      const target = selection.peek().targets[0];
      try {
        const notices = await placeFromHistory(requester, entry, index, target?.id ?? null, async (requestId) => {
          const answer = await client().result(requestId);
          return answer.status === 'done' ? answer.result.images : null;
        });
        channel.emit({ type: 'history-placed', id: entry.id, index });
        return notices.join(' ') || (target ? `Placed in ${target.name}.` : 'Placed at the viewport centre.');
      } catch (error) {
        return `Couldn't place it: ${describeError(error).message}`;
      }
    },
    clearHistory: () => channel.emit({ type: 'clear-history' }),
    /** "Select them to fill": the empty frames and shapes inside the selection (as many as a run takes) become the selection */
    selectEmptyInside: () => channel.emit({ type: 'select-empty-inside', max: derived.targetCap.peek() }),
    /** Settings' Save: the backend and token, stored at once */
    saveConnection(backendUrl: string, accessToken: string) {
      form.choose({ backendUrl, accessToken });
      saver.saveNow();
    },
  };
});

export type PanelModel = InstanceType<typeof PanelModel>;
