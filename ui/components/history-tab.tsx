// Past runs, every paid image kept: thumbnails, prompt, model, tier, size, images · cost, when.
// Place / Place again per image (from its Figma image hash, no new request), Re-run (fills the
// form for that run) and Copy prompt.
import { useMemo, useState } from 'preact/hooks';
import type { HistoryEntry, HistoryImage } from '../../plugin/messages';
import { historyImages } from '../../plugin/history-entry';
import { oneLine } from '../../common/text';
import { bytesToBase64 } from '../lib/image-bytes';
import { formatAgo, formatUsd, humanSize } from '../lib/format';
import { copyText } from '../clipboard';
import { findModel, DEFAULT_MODEL_ID } from '../../backend/models';
import { usePanel } from '../model/panel-context';
import { TIER_LABEL } from './options';
import { useNow } from './use-now';

/** The model, named only when it isn't the default (most entries), as the picker names it. */
function modelPrefix(id: string): string {
  const model = findModel(id);
  return model?.id === DEFAULT_MODEL_ID ? '' : `${model?.label ?? id} · `;
}

export function HistoryTab() {
  const panel = usePanel();
  const history = panel.history.value;
  // "5 min ago" stays right while the tab is open.
  const now = useNow(true, 30_000);
  const [status, setStatus] = useState('');
  const [confirming, setConfirming] = useState(false);
  const sorted = useMemo(() => [...history].sort((a, b) => b.createdAt - a.createdAt), [history]);

  if (sorted.length === 0) {
    return <p class="empty">Nothing here yet. Every image you make is kept here with its prompt and cost, ready to place again.</p>;
  }
  return (
    <div class="history">
      <p class="status-line" role="status" aria-live="polite">
        {status}
      </p>
      <ul class="history-list" aria-label="History">
        {sorted.map((entry) => (
          <HistoryItem key={entry.id} entry={entry} now={now} onStatus={setStatus} />
        ))}
      </ul>
      <div class="history-footer">
        {confirming ? (
          <>
            <span class="muted">Clear all {sorted.length} entries?</span>
            <button type="button" class="button-danger" onClick={() => { panel.clearHistory(); setConfirming(false); }}>
              Clear
            </button>
            <button type="button" class="button-ghost" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" class="button-ghost" onClick={() => setConfirming(true)}>
            Clear history
          </button>
        )}
      </div>
    </div>
  );
}

/** "6 images · ", "60 images (10 kept here) · " — every image the cost paid for; nothing for one. */
function imageCount(entry: HistoryEntry, kept: number): string {
  const made = entry.made ?? kept;
  if (made <= 1) return '';
  return made > kept ? `${made} images (${kept} kept here) · ` : `${made} images · `;
}

function HistoryItem({ entry, now, onStatus }: { entry: HistoryEntry; now: number; onStatus(s: string): void }) {
  const panel = usePanel();
  const images = historyImages(entry);
  const [placing, setPlacing] = useState<number | null>(null);
  const place = async (index: number) => {
    setPlacing(index);
    onStatus(await panel.placeAgain(entry, index));
    setPlacing(null);
  };
  return (
    <li class="history-item">
      <p class="history-prompt" title={entry.prompt}>
        {entry.prompt}
      </p>
      <p class="muted">
        {entry.overnight ? 'Overnight · ' : ''}
        {modelPrefix(entry.model)}
        {TIER_LABEL[entry.tier]} · {humanSize(entry.size)} · {imageCount(entry, images.length)}
        {formatUsd(entry.costUsd)} · <time dateTime={new Date(entry.createdAt).toISOString()}>{formatAgo(entry.createdAt, now)}</time>
      </p>
      <ul class="history-images" aria-label={`Images of “${oneLine(entry.prompt, 40)}”`}>
        {images.map((image, i) => (
          <HistoryImageCell key={i} image={image} index={i} count={images.length} busy={placing !== null} onPlace={() => void place(i)} />
        ))}
      </ul>
      <div class="history-actions">
        <button type="button" class="button-ghost" onClick={() => panel.rerun(entry)}>
          Re-run
        </button>
        <button type="button" class="button-ghost" onClick={async () => onStatus((await copyText(entry.prompt)) ? 'Prompt copied.' : "Couldn't copy — select the prompt and copy it by hand.")}>
          Copy prompt
        </button>
      </div>
    </li>
  );
}

/** One kept image: its thumbnail and a visible Place button (Place again once it was placed). */
function HistoryImageCell({ image, index, count, busy, onPlace }: { image: HistoryImage; index: number; count: number; busy: boolean; onPlace(): void }) {
  const thumb = useMemo(() => (image.thumbnail ? `data:image/jpeg;base64,${bytesToBase64(image.thumbnail)}` : null), [image.thumbnail]);
  const label = image.placed ? 'Place again' : 'Place';
  return (
    <li class="history-image">
      {thumb ? <img class="thumb" src={thumb} alt="" /> : <div class="thumb thumb-empty" aria-hidden="true" />}
      <button
        type="button"
        class="button-secondary"
        disabled={!image.imageHash || busy}
        aria-label={count > 1 ? `${label}: image ${index + 1} of ${count}` : undefined}
        title={image.imageHash ? 'Place this image on the selected layer, or at the viewport centre — no new request' : 'The image is no longer stored'}
        onClick={onPlace}
      >
        {label}
      </button>
    </li>
  );
}
