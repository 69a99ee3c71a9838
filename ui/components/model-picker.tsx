// The model picker: the models this backend allows, each with one line on what it is for, and the
// "Transparent background" switch where the chosen model takes it. One model collapses to a line.
import { usePanel } from '../model/panel-context';
import { Segmented } from './segmented';

export function ModelControl() {
  const { models, model, transparent, chooseModel, choose } = usePanel();
  const chosen = model.value;
  const offers = chosen.transparent !== 'no';
  return (
    <section class="section">
      <div class="label-row">
        <span class="label" id="model-label">
          Model
        </span>
        {offers && (
          <label class="switch" title={chosen.transparent === 'preview' ? 'A PNG with a transparent background (OpenAI calls this a preview for this model)' : 'A PNG with a transparent background'}>
            <input type="checkbox" role="switch" checked={transparent.value} onChange={(e) => choose({ transparent: (e.currentTarget as HTMLInputElement).checked })} />
            <span class="switch-track" aria-hidden="true" />
            <span>Transparent background</span>
            {chosen.transparent === 'preview' && <span class="badge">preview</span>}
          </label>
        )}
      </div>
      {models.value.length > 1 ? (
        <Segmented
          label="Model"
          class="segmented-stack"
          value={chosen.id}
          onChange={chooseModel}
          options={models.value.map((m) => ({ value: m.id, label: m.label, sub: m.purpose, ariaLabel: `${m.label}: ${m.purpose}` }))}
        />
      ) : (
        <p class="model-line">
          <strong>{chosen.label}</strong> <span class="muted">{chosen.purpose}</span>
        </p>
      )}
    </section>
  );
}
