// The plan line before Run: what will happen to which layers, how many images, what it costs.
// Updated live as the selection changes; skipped layers say why. Identical notes come grouped
// (lib/plan.ts) and a long list is capped behind "Show all", so Run stays on screen.
import { useState } from 'preact/hooks';
import { emptyInsideAction, emptyInsideText } from '../lib/empty-inside';
import { plural } from '../lib/format';
import { usePanel } from '../model/panel-context';
import { PlanTargets } from './plan-targets';

/** Notes shown before "Show all": enough for the usual selection, short enough for the footer. */
const NOTES_SHOWN = 2;

export function PlanSummary() {
  const panel = usePanel();
  const plan = panel.plan.value;
  const tokenMissing = panel.tokenMissing.value;
  // The Run bar already says why Run is unavailable: each problem is said once.
  const blocked = panel.blocked.value;
  const problems = plan.problems.filter((p) => p !== blocked);
  const [showAll, setShowAll] = useState(false);
  const notes = showAll ? plan.notes : plan.notes.slice(0, NOTES_SHOWN);
  const hidden = plan.notes.length - notes.length;
  const named = plan.jobs.length > 1;
  return (
    <div class="plan">
      <p id="plan-line" class="plan-line" role="status" aria-live="polite">
        {panel.planLine.value}
      </p>
      <div id="plan-problems" class="plan-problems">
        {problems.map((problem) => (
          <p key={problem} class="field-error">
            {problem}
          </p>
        ))}
      </div>
      <EmptyInside />
      <PlanTargets />
      {tokenMissing && <p class="notice-inline">No access token yet — add it in Settings.</p>}
      {plan.notes.length > 0 && (
        <ul class="plan-notes" id="plan-notes">
          {notes.map((n) => (
            <li key={n.text}>
              {named && n.names.length === 1 ? <strong>{n.names[0]}: </strong> : null}
              {n.text}
            </li>
          ))}
        </ul>
      )}
      {(hidden > 0 || showAll) && plan.notes.length > NOTES_SHOWN && (
        <button type="button" class="link-button" aria-expanded={showAll} aria-controls="plan-notes" onClick={() => setShowAll(!showAll)}>
          {showAll ? 'Show fewer notes' : `Show all ${plan.notes.length} notes`}
        </button>
      )}
      {plan.skipped.length > 0 && (
        <details class="skipped">
          <summary>{plural(plan.skipped.length, 'layer')} skipped</summary>
          <ul>
            {plan.skipped.map((s) => (
              <li key={s.id}>
                <strong>{s.name}</strong> — {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

/** A selected mockup, card row or group with placeholders inside: one click makes them the targets. */
function EmptyInside() {
  const panel = usePanel();
  const inside = panel.selection.value.emptyInside;
  const text = inside ? emptyInsideText(inside) : null;
  if (!inside || !text) return null;
  return (
    <p class="empty-inside" id="empty-inside">
      {text}.{' '}
      <button type="button" class="link-button" onClick={() => panel.selectEmptyInside()}>
        {emptyInsideAction(inside, panel.targetCap.value)}
      </button>
    </p>
  );
}
