// (issue 15) "Edit image": the tools for one selected image — Expand, Select area, Cut out,
// Upscale. Each says what it does, prefills a prompt, shows its estimate before running, and
// says why when it can't run. Runs go through the run controller as ordinary jobs.
import type { Tier } from '../../backend/pricing';
import type { EditTool } from '../../plugin/messages';
import { EDIT_TOOLS, TOOL_LABEL, TOOL_PLACEHOLDER, TOOL_WHAT, runLabel, tierEstimates } from '../lib/edit-tool-plan';
import { formatUsd, plural } from '../lib/format';
import { usePanel } from '../model/panel-context';
import { TIER_LABEL } from './options';
import { isRunShortcut } from './run-shortcut';
import { Segmented } from './segmented';

const SHORT: Readonly<Record<EditTool, string>> = { expand: 'Expand', area: 'Area', cutout: 'Cut out', upscale: 'Upscale' };

export function EditTools() {
  const { tools, running } = usePanel();
  const target = tools.target.value;
  const plans = tools.plans.value;
  const plan = tools.plan.value;
  if (!target || !plans || !plan) return null;
  const tool = tools.tool.value;
  const prompt = tools.prompt.value;
  const blocked = tools.blocked.value;
  const busy = running.value;
  const image = target.image;
  const onKeyDown = (event: KeyboardEvent) => {
    if (isRunShortcut(event)) {
      event.preventDefault();
      tools.run();
    }
  };
  // Select area's first step is on the canvas: until the area exists, the action makes it.
  const needsArea = tool === 'area' && !target.areaId;
  return (
    <section class="section edit-tools" aria-labelledby="edit-tools-label">
      <div class="label-row">
        <span class="label" id="edit-tools-label">
          Edit image
        </span>
        <span class="label-aside">{target.name}</span>
      </div>
      <Segmented
        label="Edit tool"
        class="segmented-fit"
        value={tool}
        onChange={tools.choose}
        options={EDIT_TOOLS.map((which) => {
          const p = plans[which];
          const price = p.size ? `≈ ${formatUsd(p.estimateUsd)}` : '—';
          return { value: which, label: SHORT[which], sub: price, ariaLabel: `${TOOL_LABEL[which]}, ${p.reason ?? price}`, title: p.reason ?? TOOL_WHAT[which] };
        })}
      />
      <p class="edit-tool-what" id="edit-tool-what">
        {TOOL_WHAT[tool]}
      </p>
      {tool === 'area' && target.areaId && <p class="edit-area-note">The edit will only change the shaded area — draw or reshape it inside “Framefill area”.</p>}
      {tool === 'upscale' && plan.size && (
        <Segmented
          label="Upscale quality"
          class="segmented-fit"
          value={plan.tier}
          onChange={(next: Tier) => tools.chooseUpscaleTier(next)}
          options={tierEstimates(plan, prompt.trim().length).map((p) => ({ value: p.tier, label: TIER_LABEL[p.tier], sub: `≈ ${formatUsd(p.usd)}`, ariaLabel: `Upscale at ${TIER_LABEL[p.tier]}, about ${formatUsd(p.usd)}` }))}
        />
      )}
      {!needsArea && !plan.reason && (
        <>
          <label class="visually-hidden" for="edit-tool-prompt">
            {tool === 'area' ? 'What goes in the area' : `${TOOL_LABEL[tool]} prompt`}
          </label>
          <textarea
            id="edit-tool-prompt"
            class="textarea"
            rows={3}
            value={prompt}
            placeholder={TOOL_PLACEHOLDER[tool]}
            aria-describedby="edit-tool-what edit-tool-status"
            aria-required={tool === 'area'}
            onInput={(e) => tools.setPrompt((e.currentTarget as HTMLTextAreaElement).value)}
            onKeyDown={onKeyDown}
            spellcheck
          />
        </>
      )}
      {plan.notes.map((note) => (
        <p key={note} class="muted edit-tool-note">
          {note}
        </p>
      ))}
      {/* why it can't run reads as information, not an error: nothing went wrong */}
      <p class="edit-tool-status muted" id="edit-tool-status" role="status" aria-live="polite">
        {needsArea ? 'Adds a “Framefill area” layer over the image; shape it with the rectangle, ellipse or pen tool, then say what goes there.' : (blocked ?? `${plan.model.label}, ${TIER_LABEL[plan.tier]}, ${plan.size?.text.replace('x', '×') ?? ''}`)}
      </p>
      <div class="edit-tool-actions">
        {needsArea ? (
          <button type="button" class="button-primary" disabled={busy} onClick={tools.selectArea}>
            Select area
          </button>
        ) : (
          <button type="button" class="button-primary" disabled={blocked !== null} onClick={tools.run} title={blocked ?? TOOL_WHAT[tool]}>
            {runLabel(plan)}
          </button>
        )}
        {image && image.originals > 0 && (
          <button type="button" class="button-secondary" disabled={busy} onClick={tools.discardOriginals} title="Removes the earlier images the tools kept hidden under this one (Undo brings them back)">
            Discard {image.originals === 1 ? 'original' : plural(image.originals, 'original')}
          </button>
        )}
      </div>
    </section>
  );
}
