// Lock the look (issue 14): with 2+ targets, one image sets palette, light and rendering for the
// whole batch. The switch sits with the options; each finished card of the run can then be picked
// as the look and the rest re-run with it (LookPick).
import { formatUsd, plural } from '../lib/format';
import { usePanel } from '../model/panel-context';
import { ACTIVE, type JobState } from '../run/job';

export function LockLook() {
  const panel = usePanel();
  const { look } = panel;
  const jobs = panel.plan.value.jobs.length;
  if (jobs < 2) return null;
  const pinned = panel.pinned.value;
  const source = look.source.value;
  const chosenPin = source === 'first' ? '' : source.pinnedId;
  return (
    <section class="section lock-look">
      <label class="switch" title="Every frame of the run gets the same reference image, so the grid shares one palette, light and rendering">
        <input type="checkbox" checked={look.on.value} onChange={(e) => look.setOn((e.currentTarget as HTMLInputElement).checked)} />
        <span class="switch-track" aria-hidden="true" />
        <span>Lock the look</span>
      </label>
      {look.on.value && pinned.length > 0 && (
        <label class="lock-look-source">
          <span class="muted">Look from</span>
          <select class="input" value={chosenPin} onChange={(e) => {
            const id = (e.currentTarget as HTMLSelectElement).value;
            look.setSource(id ? { pinnedId: id } : 'first');
          }}>
            <option value="">The first finished image</option>
            {pinned.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} (pinned)
              </option>
            ))}
          </select>
        </label>
      )}
      {look.on.value && (
        <p class="muted" id="lock-look-note">
          {look.sequenced.value
            ? `The first frame goes alone; the other ${plural(jobs - 1, 'frame')} then carry its image as a reference (+ ≈ ${formatUsd(look.extraUsd.value * (jobs - 1))}).`
            : 'The pinned layer goes with every frame as the look.'}
        </p>
      )}
    </section>
  );
}

/** On a finished card of a multi-frame run: make its image the look, then re-run the rest with it. */
export function LookPick({ job }: { job: JobState }) {
  const panel = usePanel();
  const { look } = panel;
  const jobs = panel.runState.value.jobs;
  if (!look.on.value || job.results.length === 0 || ACTIVE.has(job.status)) return null;
  const others = jobs.filter((j) => j.runId === job.runId && j.id !== job.id);
  if (others.length === 0) return null;
  const chosen = look.chosen.value;
  if (chosen?.jobId !== job.id) {
    const index = Math.max(0, job.results.findIndex((r) => r.placed));
    return (
      <button type="button" class="button-ghost" onClick={() => look.choose(job.id, index)}>
        Use as the look
      </button>
    );
  }
  const busy = others.some((j) => ACTIVE.has(j.status) || j.status === 'placing');
  return (
    <>
      <span class="muted look-chosen">The look</span>
      <button type="button" class="button-secondary" disabled={busy} onClick={() => panel.rerunWithLook(job.id, chosen.index)}>
        Re-run the other {plural(others.length, 'frame')} with this look
      </button>
    </>
  );
}
