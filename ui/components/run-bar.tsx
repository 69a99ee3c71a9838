// Run / Cancel all. While a run is going, Cancel stops everything not yet finished and the bar
// says how far along it is, so the footer never looks frozen. A run estimated above Settings'
// threshold asks once here, inline, before anything is spent.
import { formatDuration, formatUsd } from '../lib/format';
import { usePanel } from '../model/panel-context';
import { useNow } from './use-now';

export function RunBar() {
  const panel = usePanel();
  const running = panel.running.value;
  const progress = panel.progress.value;
  const blocked = panel.blocked.value;
  const confirming = panel.confirming.value;
  const now = useNow(running);
  if (confirming !== null && blocked === null) {
    return (
      <div class="run-bar run-confirm" role="alertdialog" aria-labelledby="run-confirm-text">
        <span id="run-confirm-text" class="run-confirm-text">
          {panel.when.value === 'overnight' ? 'This overnight run may cost' : 'This run may cost'} ≈ {formatUsd(confirming)}
        </span>
        <button type="button" class="button-primary" onClick={panel.runAnyway} autoFocus>
          Run anyway
        </button>
        <button type="button" class="button-secondary" onClick={panel.dismissConfirm}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <div class="run-bar">
      {running ? (
        <button type="button" class="button-secondary" onClick={panel.cancel}>
          {progress && progress.total > 1 ? 'Cancel all' : 'Cancel'}
        </button>
      ) : (
        <button type="button" class="button-primary" onClick={panel.run} disabled={blocked !== null} aria-describedby={blocked ? 'run-blocked' : 'plan-line'}>
          Run
        </button>
      )}
      {running && progress && (
        <span class="muted run-progress">
          {progress.total === 1 ? 'Working' : `${progress.finished} of ${progress.total} done`}
          {progress.startedAt !== null ? ` · ${formatDuration(now - progress.startedAt)}` : ''}
        </span>
      )}
      {!running && blocked && (
        <span id="run-blocked" class="muted">
          {blocked}
        </span>
      )}
    </div>
  );
}
