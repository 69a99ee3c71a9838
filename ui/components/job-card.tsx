// One target's progress and results: streamed preview while running, a ticking timer, the
// final images (click to place one, or Place all), failures in plain words with the next step:
// Retry, or Edit prompt when the same request would only be refused again.
import { placedText, targetLabel } from '../lib/card-wording';
import { shownUsd } from '../lib/cost-estimate';
import { dataUrl } from '../lib/image-bytes';
import { formatDuration, formatUsd, humanSize } from '../lib/format';
import { usePanel } from '../model/panel-context';
import { ACTIVE, type JobState } from '../run/job';
import { CheckIcon, CloseIcon } from './icons';
import { focusPrompt } from './prompt-field';
import { LookPick } from './lock-look';

export function JobCard({ job, now }: { job: JobState; now: number }) {
  const panel = usePanel();
  const { spec } = job;
  const active = ACTIVE.has(job.status);
  // A recovered run finished some time while the panel was closed: how long it took is unknown.
  const elapsed = job.startedAt === null || (job.recovered && !active) ? null : (job.finishedAt ?? now) - job.startedAt;
  const cost = shownUsd(job.cost);
  const costText = cost.actual ? formatUsd(cost.usd) : `≈ ${formatUsd(cost.usd)}`;
  const unplaced = job.results.filter((r) => !r.placed).length;
  const busy = job.status === 'placing';
  const label = targetLabel(spec);

  return (
    <article class={`job job-${job.status}`} aria-labelledby={`job-title-${job.id}`}>
      <header class="job-head">
        <span class="job-title" id={`job-title-${job.id}`} title={spec.prompt}>
          {spec.targetName}
          {/* as the plan line names it: the card tells twenty "Photo" layers apart */}
          {spec.targetContext ? <span class="muted"> · {spec.targetContext}</span> : null}
        </span>
        <span class="job-meta">
          {humanSize(spec.size)}
          {spec.n > 1 ? ` · ${spec.n} images` : ''}
          {/* A failed or cancelled request shows no price: its estimate was never the bill. */}
          {job.status === 'failed' || job.status === 'cancelled' ? '' : ` · ${costText}`}
          {elapsed !== null ? ` · ${formatDuration(elapsed)}` : ''}
          {job.status === 'waiting' && job.wait ? ` · resumes in ${Math.max(0, Math.ceil((job.wait.until - now) / 1000))} s` : ''}
        </span>
        {!active && job.status !== 'done' && job.status !== 'placing' && (
          <button type="button" class="icon-button" aria-label={`Dismiss ${label}`} onClick={() => panel.dismiss(job.id)}>
            <CloseIcon />
          </button>
        )}
      </header>

      {/* Live, but never ticking: the timers above are not announced every second. */}
      <p class={`job-status ${job.status === 'failed' ? 'error-text' : ''}`} role={job.status === 'failed' ? 'alert' : 'status'}>
        {statusText(job)}
      </p>

      {active && (
        <div class="preview" aria-hidden={job.partial ? undefined : true}>
          {job.partial ? <img src={dataUrl(job.partial)} alt={`Preview of ${label}`} /> : <div class="preview-empty" />}
          {job.status === 'running' && <div class="progress-bar" role="progressbar" aria-label={`Generating ${label}`} />}
        </div>
      )}

      {job.results.length > 0 && (
        <div class={`results results-${Math.min(job.results.length, 4)}`} role="list" aria-label={`Results for ${label}`}>
          {job.results.map((result, i) => (
            <div role="listitem" key={i} class="result-cell">
              <button
                type="button"
                class={`result ${result.placed ? 'is-placed' : ''}`}
                disabled={busy}
                aria-label={`${result.placed ? 'Place again' : 'Place'} variation ${i + 1} of ${job.results.length}${spec.targetId ? ` in ${label}` : ''}`}
                onClick={() => panel.place(job.id, i)}
              >
                {/* Its size up front, so the card has its final height before the image decodes. */}
                <img src={dataUrl(result.b64)} alt="" width={result.width} height={result.height} />
              </button>
              {/* Beside the button, not in it: the button's name ("Place again …") says it all. */}
              {result.placed && (
                <span class="badge" aria-hidden="true">
                  <CheckIcon />
                  Placed
                </span>
              )}
            </div>
          ))}
        </div>
      )}

      {job.placeError && (
        <p class="error-text" role="alert">
          Couldn't place it: {job.placeError}
        </p>
      )}
      {job.notices.map((notice, i) => (
        <p key={i} class="muted">
          {notice}
        </p>
      ))}

      <div class="job-actions">
        {(job.status === 'done' || busy) && job.results.length > 1 && unplaced > 0 && (
          <button type="button" class="button-secondary" disabled={busy} onClick={() => panel.place(job.id, 'all')}>
            Place all
          </button>
        )}
        {(job.status === 'done' || busy) && job.results.length === 1 && !job.results[0]!.placed && (
          <button type="button" class="button-secondary" disabled={busy} onClick={() => panel.place(job.id, 0)}>
            Place
          </button>
        )}
        {/* (issue 14, look) pick this result as the batch's look */}
        <LookPick job={job} />
        {job.status === 'done' && (
          <button type="button" class="button-ghost" onClick={() => panel.discard(job.id)}>
            {unplaced === job.results.length ? 'Discard' : 'Done'}
          </button>
        )}
        {(job.status === 'failed' || job.status === 'cancelled') && job.error?.retryable !== false && (
          <button type="button" class="button-secondary" onClick={() => panel.retry(job.id)}>
            Retry
          </button>
        )}
        {job.status === 'failed' && job.error?.editPrompt && (
          <button type="button" class="button-secondary" onClick={focusPrompt}>
            Edit prompt
          </button>
        )}
        {job.status === 'failed' && job.error?.settings && (
          <button type="button" class="button-ghost" onClick={() => panel.setTab('settings')}>
            Open Settings
          </button>
        )}
      </div>
    </article>
  );
}

export function statusText(job: JobState): string {
  switch (job.status) {
    case 'queued':
      // (issue 14, look) held for the run's first image
      return job.waitsForLook ? 'Waiting for the first image, which sets the look…' : 'Waiting for a free slot…';
    case 'exporting':
      return job.spec.sendsTarget ? 'Exporting the layer…' : 'Exporting references…';
    case 'running':
      return job.recovered ? 'Still running on the backend…' : job.partial ? 'Refining…' : 'Generating…';
    case 'waiting':
      return job.wait?.message ?? 'Waiting…';
    case 'done':
      if (job.recovered) return `Recovered — ${job.results.length === 1 ? 'ready to place' : 'pick the ones to place'}.`;
      // An Undo (or an edit) took every placed image off the canvas.
      if (job.results.some((r) => r.placement) && !job.results.some((r) => r.placed)) return 'No longer on the canvas (undone) — place it again if you like.';
      return job.results.some((r) => r.placed)
        ? 'Placed. Click another to place it too.'
        : job.results.length === 1
          ? 'Ready to place.'
          : `${job.results.length} variations — click one to place it.`;
    case 'placing':
      return 'Placing…';
    case 'placed':
      return placedText(job.spec);
    case 'failed':
      return job.error?.message ?? 'Failed.';
    case 'cancelled':
      return 'Cancelled.';
  }
}
