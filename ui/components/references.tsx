// Pinned references: layers sent with every run as extra input images (style, product, brand).
import { MAX_PINNED_REFERENCES } from '../config';
import { usePanel } from '../model/panel-context';
import { CloseIcon, PinIcon } from './icons';

export function References() {
  const panel = usePanel();
  const pinned = panel.pinned.value;
  const selection = panel.selection.value;
  const onChange = panel.setPinned;
  const selected = [...selection.targets, ...selection.skipped].filter((n) => !pinned.some((p) => p.id === n.id));
  const room = MAX_PINNED_REFERENCES - pinned.length;
  const pin = () => onChange([...pinned, ...selected.slice(0, room).map((n) => ({ id: n.id, name: n.name }))]);
  return (
    <section class="section">
      <div class="label-row">
        <span class="label">References</span>
        <button type="button" class="button-ghost" onClick={pin} disabled={selected.length === 0 || room <= 0} title="Send the selected layers as reference images with every run">
          <PinIcon />
          Pin selection
        </button>
      </div>
      {pinned.length === 0 ? (
        <p class="muted">Pin layers to use them as references — a style, a product, a brand colour.</p>
      ) : (
        <ul class="pins" aria-label="Pinned references">
          {pinned.map((p) => (
            <li key={p.id} class="pin">
              <span class="pin-name">{p.name}</span>
              <button type="button" class="icon-button" aria-label={`Unpin ${p.name}`} onClick={() => onChange(pinned.filter((x) => x.id !== p.id))}>
                <CloseIcon />
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
