// The style kit picker (issue 14): a kit from this file, the user's own or Framefill's defaults;
// the suffix it adds is shown as sent, so nothing goes to the model unseen. "Save as kit" keeps
// the current model, tier, size mode, pins and a suffix, in the file (the team sees it) or personal.
import { useState } from 'preact/hooks';
import type { Kit, KitScope } from '../../plugin/messages';
import { usePanel } from '../model/panel-context';
import type { KitSource } from '../model/kits';
import { CloseIcon } from './icons';
import { TIER_LABEL } from './options';

const SOURCE_LABEL: Record<KitSource, string> = { file: 'In this file', personal: 'Personal', default: 'Framefill' };

const optionsOf = (source: KitSource, kits: readonly Kit[]) =>
  kits.length === 0 ? null : (
    <optgroup label={SOURCE_LABEL[source]}>
      {kits.map((k) => (
        <option key={k.id} value={`${source}|${k.id}`}>
          {k.name}
        </option>
      ))}
    </optgroup>
  );

export function KitPicker() {
  const { kits } = usePanel();
  const lists = kits.lists.value;
  const inUse = kits.inUse.value;
  const notice = kits.notice.value;
  const [saving, setSaving] = useState(false);
  /** deleting asks first: a file kit goes for the whole team */
  const [confirming, setConfirming] = useState(false);
  const onPick = (value: string) => {
    const at = value.indexOf('|');
    setConfirming(false);
    if (at < 0) kits.pick('default', null);
    else kits.pick(value.slice(0, at) as KitSource, value.slice(at + 1));
  };
  return (
    <section class="section">
      <div class="label-row">
        <label id="kit-label" for="kit" class="label">
          Style kit
        </label>
        {inUse && <span class="label-aside">{SOURCE_LABEL[inUse.source]}</span>}
      </div>
      <div class="kit-row">
        <select id="kit" class="input select" value={inUse ? `${inUse.source}|${inUse.kit.id}` : ''} onChange={(e) => onPick((e.currentTarget as HTMLSelectElement).value)} onFocus={() => kits.refresh()} aria-describedby="kit-suffix kit-notice">
          <option value="">No kit</option>
          {optionsOf('file', lists.file)}
          {optionsOf('personal', lists.personal)}
          {optionsOf('default', lists.defaults)}
        </select>
        {inUse && inUse.source !== 'default' && (
          <button type="button" class="icon-button" aria-label={`Delete kit ${inUse.kit.name} (${SOURCE_LABEL[inUse.source]})`} title="Delete this kit" aria-expanded={confirming} onClick={() => setConfirming(!confirming)}>
            <CloseIcon />
          </button>
        )}
        <button type="button" class="button-ghost" aria-expanded={saving} onClick={() => setSaving(!saving)}>
          Save as kit…
        </button>
      </div>
      {confirming && inUse && inUse.source !== 'default' && (
        <div class="kit-confirm" role="group" aria-label="Delete kit">
          <span>{inUse.source === 'file' ? `Delete “${inUse.kit.name}” for everyone in this file?` : `Delete “${inUse.kit.name}” from your kits?`}</span>
          <button type="button" class="button-ghost" onClick={() => setConfirming(false)}>
            Keep
          </button>
          <button
            type="button"
            class="button-danger"
            onClick={() => {
              setConfirming(false);
              kits.remove();
            }}
          >
            Delete
          </button>
        </div>
      )}
      {inUse && inUse.kit.suffix && (
        <p id="kit-suffix" class="kit-suffix">
          <span class="muted">Sent after your prompt: </span>
          <span class="kit-suffix-text">{inUse.kit.suffix}</span>
        </p>
      )}
      <p id="kit-notice" class="hint kit-notice" role="status">
        {notice}
      </p>
      {saving && <SaveKit suffix={inUse?.kit.suffix ?? ''} name={inUse && inUse.source !== 'default' ? inUse.kit.name : ''} onDone={() => setSaving(false)} />}
    </section>
  );
}

function SaveKit(props: { name: string; suffix: string; onDone(): void }) {
  const { kits, model, tier, settings, pinned } = usePanel();
  const [name, setName] = useState(props.name);
  const [suffix, setSuffix] = useState(props.suffix);
  const [scope, setScope] = useState<KitScope>('file');
  const problem = !name.trim() ? 'Name the kit.' : null;
  const submit = (e: Event) => {
    e.preventDefault();
    if (problem) return;
    kits.save(name, suffix, scope);
    props.onDone();
  };
  const refs = pinned.value.length;
  return (
    <form class="kit-save" onSubmit={submit} aria-label="Save as kit">
      <label class="field">
        <span class="label">Name</span>
        <input class="input" value={name} maxLength={60} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <label class="field">
        <span class="label">Suffix — camera, light, style anchors</span>
        <textarea class="textarea kit-suffix-input" rows={2} maxLength={1000} value={suffix} placeholder="50mm, softbox key light, crisp product photography" onInput={(e) => setSuffix((e.currentTarget as HTMLTextAreaElement).value)} />
      </label>
      <p class="muted">
        Keeps {model.value.label}, {TIER_LABEL[tier.value]} quality, {settings.value.sizeMode === 'auto' ? 'each layer’s shape' : settings.value.sizeMode}
        {refs ? ` and ${refs} pinned reference${refs === 1 ? '' : 's'}` : ''}.
      </p>
      <div class="kit-scope" role="radiogroup" aria-label="Save in">
        <label>
          <input type="radio" name="kit-scope" checked={scope === 'file'} onChange={() => setScope('file')} /> In this file <span class="muted">(the team sees it)</span>
        </label>
        <label>
          <input type="radio" name="kit-scope" checked={scope === 'personal'} onChange={() => setScope('personal')} /> Personal
        </label>
      </div>
      <div class="kit-actions">
        <button type="button" class="button-ghost" onClick={props.onDone}>
          Cancel
        </button>
        <button type="submit" class="button-secondary" disabled={problem !== null} title={problem ?? undefined}>
          Save kit
        </button>
      </div>
    </form>
  );
}
