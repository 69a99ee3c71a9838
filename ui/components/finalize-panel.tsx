// Draft → Finalize and bulk re-run (issue 14). With Framefill images selected: the final model and
// quality, what finalizing only these drafts costs against finalizing every draft on the page,
// and two actions — Finalize (each draft goes as the reference of its final version) and Re-run
// (fresh generations from the recorded prompts). Both replace each image in place. Above Settings'
// threshold either asks once here first, as Run does in the run bar.
import type { Tier } from '../../backend/pricing';
import { formatUnitPrice, formatUsd, plural } from '../lib/format';
import { usePanel } from '../model/panel-context';
import { TIER_LABEL } from './options';
import { Segmented } from './segmented';

export function FinalizePanel() {
  const { finalize, models, running } = usePanel();
  const selected = finalize.selected.value;
  const onPage = finalize.onPage.value;
  const selectAll = onPage > selected.length && (
    <button type="button" class="link-button" onClick={finalize.selectAll}>
      Select Framefill images on this page ({onPage})
    </button>
  );
  if (selected.length === 0) return selectAll ? <section class="section finalize">{selectAll}</section> : null;

  const model = finalize.choiceModel.value;
  const { tier, hd } = finalize.choice.value;
  const plan = finalize.finalizePlan.value;
  const rerun = finalize.rerunPlan.value;
  const busy = running.value;
  const question = finalize.question.value;
  return (
    <section class="section finalize" aria-labelledby="finalize-label">
      <div class="label-row">
        <span class="label" id="finalize-label">
          Finalize drafts
        </span>
        <span class="label-aside">{plural(selected.length, 'Framefill image')} selected</span>
      </div>
      {models.value.length > 1 && (
        <Segmented label="Final model" class="segmented-fit" value={model.id} onChange={finalize.chooseModel} options={models.value.map((m) => ({ value: m.id, label: m.label, ariaLabel: `${m.label}: ${m.purpose}`, title: m.purpose }))} />
      )}
      <Segmented
        label="Final quality"
        class="segmented-fit"
        value={tier}
        onChange={(next: Tier) => finalize.chooseTier(next)}
        options={model.prices.map((p) => ({ value: p.tier, label: TIER_LABEL[p.tier], sub: formatUnitPrice(p.usd), ariaLabel: `Final ${TIER_LABEL[p.tier]}, ${formatUnitPrice(p.usd)} per image` }))}
      />
      <label class="switch" title="Off: each final keeps its draft's size. On: twice the layer's size, for crisp exports.">
        <input type="checkbox" role="switch" checked={hd} onChange={(e) => finalize.setHd((e.currentTarget as HTMLInputElement).checked)} />
        <span class="switch-track" aria-hidden="true" />
        <span>HD final (2× the layer)</span>
      </label>
      <p class="finalize-line" id="finalize-line" aria-live="polite">
        {plan.line}
      </p>
      {question ? (
        <div class="finalize-actions run-confirm" role="alertdialog" aria-labelledby="finalize-confirm-text">
          <span id="finalize-confirm-text" class="run-confirm-text">
            {question.what === 'finalize' ? 'Finalizing' : 'This re-run'} may cost ≈ {formatUsd(question.usd)}
          </span>
          <button type="button" class="button-primary" onClick={finalize.goAnyway} autoFocus>
            {question.what === 'finalize' ? 'Finalize anyway' : 'Re-run anyway'}
          </button>
          <button type="button" class="button-secondary" onClick={finalize.dismiss}>
            Cancel
          </button>
        </div>
      ) : (
        <div class="finalize-actions">
          <button type="button" class="button-primary" disabled={busy || plan.jobs.length === 0} onClick={finalize.finalize} title="Each draft goes as the reference of its final version, replacing it in place">
            Finalize {plan.jobs.length || ''}
          </button>
          <button type="button" class="button-secondary" disabled={busy || rerun.jobs.length === 0} onClick={finalize.rerun} title={rerun.line}>
            Re-run {rerun.jobs.length} · ≈ {formatUsd(rerun.totalUsd)}
          </button>
        </div>
      )}
      <p class="muted">Finalize keeps each draft's look; Re-run makes fresh images from their recorded prompts. Each replaces its image in place.</p>
      {selectAll}
    </section>
  );
}
