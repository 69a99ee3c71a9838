// (issue 16) The file's overnight runs: each run's status and progress (its batches summed), what it holds
// against the budget, and Cancel. Lives on the Create tab, where Run scheduled it and where
// finished overnight images are announced as they land.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatAgo, formatUsd, plural } from '../lib/format';
import { discountWords } from '../lib/overnight-plan';
import { scheduledRows, type ScheduledRow } from '../lib/scheduled-rows';
import { usePanel } from '../model/panel-context';
import { useNow } from './use-now';

export function ScheduledList() {
  const panel = usePanel();
  const batches = panel.overnight.batches.value;
  const status = panel.overnight.status.value;
  const now = useNow(batches.length > 0, 30_000);
  const section = useRef<HTMLElement>(null);
  // What was just scheduled, or what just landed, is brought into view: the form above is long.
  useEffect(() => {
    if (status) section.current?.scrollIntoView?.({ block: 'start' });
  }, [status]);
  if (batches.length === 0 && !status) return null;
  return (
    <section ref={section} class="section scheduled" aria-labelledby="scheduled-label">
      <span class="label" id="scheduled-label">
        Scheduled
      </span>
      <p class="scheduled-status" role="status" aria-live="polite">
        {status}
      </p>
      {batches.length > 0 && (
        <ul class="scheduled-list">
          {scheduledRows(batches).map((row) => (
            <ScheduledRunRow key={row.key} row={row} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** One Run: its batches (several when its images needed more than one request) as one row. */
function ScheduledRunRow({ row, now }: { row: ScheduledRow; now: number }) {
  const panel = usePanel();
  const [cancelling, setCancelling] = useState(false);
  const { count, total, done } = row;
  return (
    <li class="scheduled-batch">
      <div class="scheduled-head">
        <span class="job-title">Overnight · {plural(count, 'image')}</span>
        <span class="job-meta">{formatAgo(row.createdAt, now)}</span>
      </div>
      <div class="meter" role="progressbar" aria-label="Overnight progress" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
        <div class="meter-fill" style={{ width: `${total ? (done / total) * 100 : 0}%` }} />
      </div>
      <p class="job-status">{row.status}</p>
      <p class="job-meta">
        {formatUsd(row.reservedUsd)} reserved ({discountWords(row.discount)}; now ≈ {formatUsd(row.nowUsd)})
      </p>
      {row.problems.map((problem) => (
        <p key={problem} class="job-status error-text">
          {problem}
        </p>
      ))}
      {row.openIds.length > 0 && (
        <div class="job-actions">
          <button
            type="button"
            class="button-secondary"
            aria-label={`Cancel the overnight run of ${plural(count, 'image')}`}
            disabled={cancelling}
            onClick={async () => {
              setCancelling(true);
              await panel.overnight.cancel(row.openIds);
              setCancelling(false);
            }}
          >
            {cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
      )}
    </li>
  );
}
