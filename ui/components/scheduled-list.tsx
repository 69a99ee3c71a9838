// (issue 16) The file's overnight runs: each batch's status and per-item progress, what it holds
// against the budget, and Cancel. Lives on the Create tab, where Run scheduled it and where
// finished overnight images are announced as they land.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatAgo, formatUsd, plural } from '../lib/format';
import { discountWords, progressText } from '../lib/overnight-plan';
import { usePanel } from '../model/panel-context';
import type { ScheduledView } from '../run/overnight';
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
          {batches.map((b) => (
            <ScheduledBatchRow key={b.record.id} batch={b} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ScheduledBatchRow({ batch, now }: { batch: ScheduledView; now: number }) {
  const panel = usePanel();
  const [cancelling, setCancelling] = useState(false);
  const { record, view, problem } = batch;
  const count = view?.items.length ?? record.items.length;
  const open = view === null || view.status === 'in_progress';
  const total = view?.progress.total ?? count;
  const done = view?.progress.completed ?? 0;
  return (
    <li class="scheduled-batch">
      <div class="scheduled-head">
        <span class="job-title">Overnight · {plural(count, 'image')}</span>
        <span class="job-meta">{formatAgo(record.createdAt, now)}</span>
      </div>
      <div class="meter" role="progressbar" aria-label="Overnight progress" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
        <div class="meter-fill" style={{ width: `${total ? (done / total) * 100 : 0}%` }} />
      </div>
      <p class="job-status">{progressText(view)}</p>
      <p class="job-meta">
        {formatUsd(view?.reserved_usd ?? record.reservedUsd)} reserved ({discountWords(record.discount)}; now ≈ {formatUsd(record.nowUsd)})
      </p>
      {problem && <p class="job-status error-text">{problem}</p>}
      {open && (
        <div class="job-actions">
          <button
            type="button"
            class="button-secondary"
            aria-label={`Cancel the overnight run of ${plural(count, 'image')}`}
            disabled={cancelling}
            onClick={async () => {
              setCancelling(true);
              await panel.overnight.cancel(record.id);
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
