// Quality tier, size and variations, read from and written to the panel model's settings.
// Prices are the chosen model's, as the backend serves them (lib/model-catalog.ts).
import type { Tier } from '../../backend/pricing';
import { sizeProblem } from '../../backend/size-rules';
import { formatUnitPrice, formatUsd, plural } from '../lib/format';
import type { TierPrice } from '../lib/model-catalog';
import { previewWords } from '../lib/previews';
import type { SizeMode } from '../lib/size-planner';
import { snapCustomSize, type Side } from '../lib/size-snap';
import { usePanel } from '../model/panel-context';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Segmented } from './segmented';

export const TIER_LABEL: Record<Tier, string> = { low: 'Low', medium: 'Medium', high: 'High', xhigh: 'X-High', max: 'Max' };

/** A tier's price as the control shows it: published as is; a ceiling as an upper estimate. */
function priceText(p: TierPrice): { sub: string; spoken: string } {
  if (p.basis === 'ceiling') return { sub: `≤ ${formatUsd(p.usd)} est.`, spoken: `at most ${formatUsd(p.usd)} per image, estimated` };
  if (p.basis === 'learned') return { sub: `~${formatUsd(p.usd)}`, spoken: `about ${formatUsd(p.usd)} per image, learned from ${plural(p.runs, 'run')}` };
  return { sub: formatUnitPrice(p.usd), spoken: `${formatUnitPrice(p.usd)} per image` };
}

/** The line under the control when the chosen tier has no published price. */
function basisNote(p: TierPrice): string | null {
  if (p.basis === 'ceiling') return `${TIER_LABEL[p.tier]}: OpenAI publishes no price; ${formatUsd(p.usd)} is this backend's ceiling. You pay what the run uses.`;
  if (p.basis === 'learned') return `${TIER_LABEL[p.tier]}: ${formatUsd(p.usd)} learned from ${plural(p.runs, 'run')} on this backend. You pay what the run uses.`;
  return null;
}

export function TierControl() {
  const { model, tier, choose, when } = usePanel();
  const prices = model.value.prices;
  const chosen = prices.find((p) => p.tier === tier.value);
  const note = chosen ? basisNote(chosen) : null;
  // A Now run's stream previews are billed too: said here, so the plan's total adds up. An
  // overnight batch doesn't stream.
  const previews = when.value === 'now' ? previewWords(tier.value, model.value.book) : null;
  return (
    <section class="section">
      <div class="label-row">
        <span class="label" id="tier-label">
          Quality
        </span>
        <span class="label-aside">{previews ? `per 1024² image ${previews}` : 'per 1024² image'}</span>
      </div>
      <Segmented
        label="Quality"
        class="segmented-fit"
        value={tier.value}
        onChange={(next: Tier) => choose({ tier: next })}
        options={prices.map((p) => {
          const text = priceText(p);
          return { value: p.tier, label: TIER_LABEL[p.tier], sub: text.sub, ariaLabel: `${TIER_LABEL[p.tier]}, ${text.spoken}`, title: text.spoken };
        })}
      />
      {note && <p class="muted price-note">{note}</p>}
    </section>
  );
}

const SIZE_OPTIONS: { value: SizeMode; label: string; title: string }[] = [
  { value: 'auto', label: 'Auto', title: "Each layer's own shape" },
  { value: '1:1', label: '1:1', title: 'Square' },
  { value: '3:2', label: '3:2', title: 'Landscape 3:2' },
  { value: '2:3', label: '2:3', title: 'Portrait 2:3' },
  { value: '4:3', label: '4:3', title: 'Landscape 4:3' },
  { value: '3:4', label: '3:4', title: 'Portrait 3:4' },
  { value: '5:4', label: '5:4', title: 'Landscape 5:4' },
  { value: '4:5', label: '4:5', title: 'Portrait 4:5 (social feed)' },
  { value: '16:9', label: '16:9', title: 'Widescreen' },
  { value: '9:16', label: '9:16', title: 'Vertical video' },
  { value: 'custom', label: 'Custom', title: 'Exact width and height' },
];

export function SizeControl() {
  const { settings, choose: onChange } = usePanel();
  const choice = settings.value;
  const custom = choice.sizeMode === 'custom';
  const problem = custom ? sizeProblem({ width: choice.customWidth, height: choice.customHeight }) : null;
  // What the last snap changed, until the user types again.
  const [snapNote, setSnapNote] = useState<string | null>(null);
  const commit = (edited: Side, typed: number) => {
    // The settings now, not as of the last render: a blur can come before the re-render.
    const now = settings.peek();
    const current = { width: now.customWidth, height: now.customHeight };
    const { size, note } = snapCustomSize({ ...current, [edited]: typed }, edited);
    setSnapNote(note);
    if (size.width !== current.width || size.height !== current.height) onChange({ customWidth: size.width, customHeight: size.height });
  };
  return (
    <section class="section">
      <div class="label-row">
        <span class="label">Size</span>
        <label class="switch" title={custom ? 'A custom size is used as set; HD does not apply' : 'Twice the pixels of each layer (2K-class)'}>
          <input type="checkbox" role="switch" checked={choice.hd && !custom} disabled={custom} onChange={(e) => onChange({ hd: (e.currentTarget as HTMLInputElement).checked })} />
          <span class="switch-track" aria-hidden="true" />
          <span>HD</span>
        </label>
      </div>
      <Segmented label="Size" class="segmented-wrap segmented-sizes" value={choice.sizeMode} onChange={(sizeMode) => onChange({ sizeMode })} options={SIZE_OPTIONS} />
      {custom && (
        <div class="custom-size">
          <SizeInput label="Width in pixels" short="W" value={choice.customWidth} invalid={problem !== null} onChange={(customWidth) => onChange({ customWidth })} onTyping={() => setSnapNote(null)} onCommit={(n) => commit('width', n)} />
          <span aria-hidden="true">×</span>
          <SizeInput label="Height in pixels" short="H" value={choice.customHeight} invalid={problem !== null} onChange={(customHeight) => onChange({ customHeight })} onTyping={() => setSnapNote(null)} onCommit={(n) => commit('height', n)} />
        </div>
      )}
      {custom && snapNote && (
        <p id="size-note" class="size-note" role="status">
          {snapNote}
        </p>
      )}
    </section>
  );
}

interface SizeInputProps {
  label: string;
  short: string;
  value: number;
  invalid: boolean;
  /** a whole number within the settings' 16–3840, while typing */
  onChange(n: number): void;
  onTyping(): void;
  /** the number typed, on blur or Enter: the caller snaps it to a valid size */
  onCommit(n: number): void;
}

/** A pixel input that keeps what is typed (so "1" on the way to "1024" isn't rewritten) and,
 * once the user leaves it, hands the number on to be snapped to the nearest valid size. The
 * size's error is said once, in the footer (the Run bar or the plan): the input points there. */
function SizeInput({ label, short, value, invalid, onChange, onTyping, onCommit }: SizeInputProps) {
  const [draft, setDraft] = useState(String(value));
  // Read through a ref: the draft follows `value` only when the value changes from outside,
  // never because the user typed (that would rewrite "1" on the way to "1024").
  const draftRef = useRef(draft);
  draftRef.current = draft;
  useEffect(() => {
    if (Number(draftRef.current) !== value) setDraft(String(value));
  }, [value]);
  const n = Number(draft);
  const bad = draft.trim() === '' || !Number.isInteger(n) || n < 16 || n > 3840;
  // Reads the input itself: the event can come before the render that would update `draft`.
  const commit = (input: HTMLInputElement) => {
    const text = input.value.trim();
    const typed = Number(text);
    // Nothing sensible typed: back to the last good value rather than a guess.
    if (text === '' || !Number.isFinite(typed) || typed <= 0) {
      setDraft(String(value));
      return;
    }
    onCommit(typed);
  };
  return (
    <label class="input-label">
      <span aria-hidden="true">{short}</span>
      <input
        class="input"
        aria-label={label}
        type="text"
        inputMode="numeric"
        value={draft}
        aria-invalid={invalid || bad ? true : undefined}
        aria-describedby="run-blocked plan-problems size-note"
        onInput={(e) => {
          const text = (e.currentTarget as HTMLInputElement).value;
          setDraft(text);
          onTyping();
          const next = Number(text);
          if (Number.isInteger(next) && next >= 16 && next <= 3840) onChange(next);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.metaKey && !e.ctrlKey) commit(e.currentTarget as HTMLInputElement);
        }}
        onBlur={(e) => commit(e.currentTarget as HTMLInputElement)}
      />
    </label>
  );
}

export function VariationsControl() {
  const { settings, choose } = usePanel();
  const value = settings.value.variations;
  return (
    <section class="section">
      <div class="label-row">
        <span class="label">Variations</span>
        <span class="label-aside">{value === 1 ? 'placed as soon as it arrives' : 'pick the ones to place'}</span>
      </div>
      <Segmented
        label="Variations"
        value={value}
        onChange={(variations) => choose({ variations })}
        options={[1, 2, 3, 4].map((n) => ({ value: n, label: String(n), ariaLabel: `${n} ${n === 1 ? 'variation' : 'variations'}` }))}
      />
    </section>
  );
}
