// Overnight batches travel as JSON with every edit's images in base64: one POST for a 50-frame
// restyle would be tens of MB, past the backend's request limit and far past serverless body caps
// (Vercel: about 4.5 MB). The plan's items go as as many POSTs as it takes, each within the
// panel's upload budget, and each becomes its own batch. Pure: ui/run/overnight.ts sends them.

/** Smallest and largest image bytes one edit of a batch may carry (raw; base64 adds a third). */
export const MIN_BATCH_EDIT_BYTES = 768 * 1024;
export const MAX_BATCH_EDIT_BYTES = 3 * 1024 * 1024;

/**
 * The raw image bytes each of `edits` edits may use: the request budget shared out (base64 takes
 * 4/3 of it), but never so little that references turn to mush — more POSTs instead.
 */
export function batchEditBudget(uploadBudget: number, edits: number): number {
  const whole = Math.floor((uploadBudget * 3) / 4);
  const share = Math.floor(whole / Math.max(1, edits));
  // One edit must still fit one POST, whatever the floor says.
  return Math.min(whole, MAX_BATCH_EDIT_BYTES, Math.max(MIN_BATCH_EDIT_BYTES, share));
}

/** Items one batch holds before the backend has said (FRAMEFILL_BATCH_MAX_ITEMS's default). */
export const DEFAULT_BATCH_MAX_ITEMS = 500;

/**
 * Cuts items, in order, into requests as they are made, so a 200-frame restyle never holds more
 * than one request's images: each request's JSON stays within `maxBytes` (with room for the
 * envelope) and holds at most `maxItems` (what one batch of the deployment takes). `add` answers
 * the full request to send before the item goes into the next one (else null); `rest`, the last.
 * An item too large on its own still goes, alone: the backend's 413 then says what is wrong.
 */
export function batchChunker<T>(maxBytes: number, maxItems = DEFAULT_BATCH_MAX_ITEMS) {
  const perChunk = Math.max(1, Math.floor(maxItems));
  const ENVELOPE = 64; // {"items":[…]} and commas
  const encoder = new TextEncoder();
  let current: T[] = [];
  let size = ENVELOPE;
  const take = (): T[] | null => {
    const full = current.length > 0 ? current : null;
    current = [];
    size = ENVELOPE;
    return full;
  };
  return {
    add(item: T): T[] | null {
      const bytes = encoder.encode(JSON.stringify(item)).byteLength + 1;
      const full = current.length > 0 && (size + bytes > maxBytes || current.length >= perChunk) ? take() : null;
      current.push(item);
      size += bytes;
      return full;
    },
    rest: take,
  };
}
