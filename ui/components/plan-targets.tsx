// Every target with the prompt it will run with (issue 14), shown before Run when the prompt
// holds a field or the run fills more than one frame. Each line can be edited for that frame
// alone; a line with a field nothing fills is marked. Compact and scrolling on its own, so Run
// stays on screen with 50 targets.
import { usePanel } from '../model/panel-context';
import { fieldList } from '../lib/prompt-fields';

export function PlanTargets() {
  const panel = usePanel();
  const plan = panel.plan.value;
  const lines = panel.promptLines.value;
  const jobs = plan.jobs.filter((j) => j.target !== null);
  if (jobs.length === 0 || !(plan.fields || jobs.length > 1)) return null;
  return (
    <ol class="plan-targets" aria-label="Prompt for each frame">
      {jobs.map((job) => {
        const target = job.target!;
        const inputId = `line-${target.id}`;
        const missing = job.missing.length > 0;
        return (
          <li key={job.key} class={`plan-target${missing ? ' plan-target-missing' : ''}`} data-target-id={target.id}>
            <label class="plan-target-name" for={inputId} title={target.parentName ? `${target.name} in ${target.parentName}` : target.name}>
              {target.name}
              {target.parentName ? <span class="muted"> · {target.parentName}</span> : null}
            </label>
            <div class="plan-target-row">
              <input
                id={inputId}
                class="input plan-target-input"
                value={lines[job.key] ?? job.prompt}
                spellcheck={false}
                aria-invalid={missing ? true : undefined}
                aria-describedby={missing ? `${inputId}-missing` : undefined}
                onInput={(e) => panel.setPromptLine(job.key, (e.currentTarget as HTMLInputElement).value)}
              />
              {job.edited && (
                <button type="button" class="link-button" onClick={() => panel.setPromptLine(job.key, null)} aria-label={`Use the main prompt for ${target.name}`}>
                  Reset
                </button>
              )}
            </div>
            {missing && (
              <span id={`${inputId}-missing`} class="field-error">
                Nothing nearby fills {fieldList(job.missing)}
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
