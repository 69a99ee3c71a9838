// Run / Cancel. While a run is going, Cancel stops everything not yet finished and the bar
// says how far along it is, so the footer never looks frozen.
import { formatDuration } from '../lib/format';
import { usePanel } from '../model/panel-context';
import { useNow } from './use-now';

export function RunBar() {
  const panel = usePanel();
  const running = panel.running.value;
  const progress = panel.progress.value;
  const blocked = panel.blocked.value;
  const now = useNow(running);
  return (
    <div class="run-bar">
      {running ? (
        <button type="button" class="button-secondary" onClick={panel.cancel}>
          Cancel
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
