// The plan line before Run: what will happen to which layers, how many images, what it costs.
// Updated live as the selection changes; skipped layers say why.
import { plural } from '../lib/format';
import { usePanel } from '../model/panel-context';

export function PlanSummary() {
  const panel = usePanel();
  const plan = panel.plan.value;
  const tokenMissing = panel.tokenMissing.value;
  return (
    <div class="plan">
      <p id="plan-line" class="plan-line" role="status" aria-live="polite">
        {plan.text}
      </p>
      {plan.problems.map((problem) => (
        <p key={problem} class="field-error">
          {problem}
        </p>
      ))}
      {tokenMissing && <p class="notice-inline">No access token yet — add it in Settings.</p>}
      {plan.notes.length > 0 && (
        <ul class="plan-notes">
          {plan.notes.map((n, i) => (
            <li key={i}>
              {plan.jobs.length > 1 || plan.jobs[0]?.target ? <strong>{n.name}: </strong> : null}
              {n.note}
            </li>
          ))}
        </ul>
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
