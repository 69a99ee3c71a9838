// All jobs of this session, newest run first, with panel-level notices (recovery) on top.
import { formatUsd } from '../lib/format';
import { usePanel } from '../model/panel-context';
import { ACTIVE } from '../run/job';
import { CloseIcon } from './icons';
import { JobCard } from './job-card';
import { useNow } from './use-now';

/** From this many cards on, their images show at thumbnail height. */
const MANY_CARDS = 3;

export function JobList() {
  const panel = usePanel();
  const state = panel.runState.value;
  const spent = panel.spent.value;
  const active = state.jobs.some((j) => ACTIVE.has(j.status));
  const now = useNow(active);
  if (state.jobs.length === 0 && state.notices.length === 0) return null;
  return (
    <section class="section jobs" aria-label="Results">
      <div role="log" aria-live="polite" class="notices">
        {state.notices.map((n) => (
          <p key={n.id} class={`notice ${n.tone === 'error' ? 'notice-error' : ''}`}>
            <span>{n.text}</span>
            <button type="button" class="icon-button" aria-label="Dismiss notice" onClick={() => panel.dismissNotice(n.id)}>
              <CloseIcon />
            </button>
          </p>
        ))}
      </div>
      {state.jobs.length > 0 && (
        <div class="label-row">
          <span class="label">Results</span>
          <span class="label-aside">{spent === null ? 'Nothing spent' : spent.actual ? `${formatUsd(spent.usd)} spent` : `≈ ${formatUsd(spent.usd)}`}</span>
        </div>
      )}
      {/* A batch of frames shows each card's images smaller, so a whole mockup's results fit a few screens. */}
      <div class={`job-stack${state.jobs.length >= MANY_CARDS ? ' job-stack-many' : ''}`}>
        {state.jobs.map((job) => (
          <JobCard key={job.id} job={job} now={now} />
        ))}
      </div>
    </section>
  );
}
