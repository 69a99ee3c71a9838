// Run / Cancel. While a run is going, Cancel stops everything not yet finished and the bar
// says how far along it is, so the footer never looks frozen.
import { formatDuration } from '../lib/format';
import { useNow } from './use-now';

interface Props {
  running: boolean;
  progress: { total: number; finished: number; startedAt: number | null } | null;
  /** why Run is unavailable; null when it can run */
  blocked: string | null;
  onRun(): void;
  onCancel(): void;
}

export function RunBar({ running, progress, blocked, onRun, onCancel }: Props) {
  const now = useNow(running);
  return (
    <div class="run-bar">
      {running ? (
        <button type="button" class="button-secondary" onClick={onCancel}>
          Cancel
        </button>
      ) : (
        <button type="button" class="button-primary" onClick={onRun} disabled={blocked !== null} aria-describedby={blocked ? 'run-blocked' : 'plan-line'}>
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
