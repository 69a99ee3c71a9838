// Past placements: thumbnail, prompt, model, tier, size, cost, when. Place again (from the image hash,
// no new request), Re-run (fills the form) and Copy prompt.
import { useMemo, useState } from 'preact/hooks';
import type { HistoryEntry } from '../../plugin/messages';
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
    return <p class="empty">Nothing here yet. Images you place are listed here with their prompt and cost.</p>;
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

function HistoryItem({ entry, now, onStatus }: { entry: HistoryEntry; now: number; onStatus(s: string): void }) {
  const panel = usePanel();
  const thumb = useMemo(() => (entry.thumbnail ? `data:image/jpeg;base64,${bytesToBase64(entry.thumbnail)}` : null), [entry.thumbnail]);
  const [placing, setPlacing] = useState(false);
  const place = async () => {
    setPlacing(true);
    onStatus(await panel.placeAgain(entry));
    setPlacing(false);
  };
  return (
    <li class="history-item">
      {thumb ? <img class="thumb" src={thumb} alt="" /> : <div class="thumb thumb-empty" aria-hidden="true" />}
      <div class="history-body">
        <p class="history-prompt" title={entry.prompt}>
          {entry.prompt}
        </p>
        <p class="muted">
          {modelPrefix(entry.model)}
          {TIER_LABEL[entry.tier]} · {humanSize(entry.size)} · {formatUsd(entry.costUsd)} · <time dateTime={new Date(entry.createdAt).toISOString()}>{formatAgo(entry.createdAt, now)}</time>
        </p>
        <div class="history-actions">
          <button type="button" class="button-ghost" disabled={!entry.imageHash || placing} onClick={place} title={entry.imageHash ? 'Place this image on the selected layer, or at the viewport centre' : 'The image is no longer stored'}>
            Place again
          </button>
          <button type="button" class="button-ghost" onClick={() => panel.rerun(entry)}>
            Re-run
          </button>
          <button type="button" class="button-ghost" onClick={async () => onStatus((await copyText(entry.prompt)) ? 'Prompt copied.' : "Couldn't copy — select the prompt and copy it by hand.")}>
            Copy prompt
          </button>
        </div>
      </div>
    </li>
  );
}
