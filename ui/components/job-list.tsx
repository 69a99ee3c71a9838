// All jobs of this session, newest run first, with panel-level notices (recovery) on top.
import { spendSoFar } from '../lib/cost-estimate';
import { formatUsd } from '../lib/format';
import type { RunState } from '../run/context';
import { ACTIVE, type JobState } from '../run/job';
import { CloseIcon } from './icons';
import { JobCard, type JobActions } from './job-card';
import { useNow } from './use-now';

const DELIVERED: ReadonlySet<JobState['status']> = new Set(['done', 'placing', 'placed']);

interface Props {
  state: RunState;
  actions: JobActions & { dismissNotice(id: string): void };
}

export function JobList({ state, actions }: Props) {
  const active = state.jobs.some((j) => ACTIVE.has(j.status));
  const now = useNow(active);
  const spent = spendSoFar(state.jobs.map((j) => ({ cost: j.cost, active: ACTIVE.has(j.status), delivered: DELIVERED.has(j.status) })));
  if (state.jobs.length === 0 && state.notices.length === 0) return null;
  return (
    <section class="section jobs" aria-label="Results">
      <div role="log" aria-live="polite" class="notices">
        {state.notices.map((n) => (
          <p key={n.id} class={`notice ${n.tone === 'error' ? 'notice-error' : ''}`}>
            <span>{n.text}</span>
            <button type="button" class="icon-button" aria-label="Dismiss notice" onClick={() => actions.dismissNotice(n.id)}>
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
      <div class="job-stack">
        {state.jobs.map((job) => (
          <JobCard key={job.id} job={job} now={now} actions={actions} />
        ))}
      </div>
    </section>
  );
}
