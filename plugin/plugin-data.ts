// pluginData values of any length. Figma stores at most 100 kB per entry (plugin id, key and value
// together) and, since May 2025, refuses larger ones with an error shown to the user
// (https://developers.figma.com/docs/plugins/api/properties/nodes-setplugindata). The document's
// lists (a 200-frame overnight fill, a team's kits) can pass that, so a value is kept in pieces: the
// first under `key` (where a value written before pieces existed already is), the next under
// `key#2`, `key#3`, … Written in one go, so they share the caller's undo step.

type DataNode = { getPluginData(key: string): string; setPluginData(key: string, value: string): void };

/**
 * Characters per piece: a JavaScript character is at most 3 bytes of UTF-8 (a 4-byte character is
 * two of them), so a piece stays under 90 kB however the text is written.
 */
export const PIECE_CHARS = 30_000;
/** A bound on reading: more pieces than any value Framefill writes (a few hundred kB at most). */
const MAX_PIECES = 64;

const pieceKey = (key: string, n: number) => (n === 1 ? key : `${key}#${n}`);

/** The value written by writePluginData (or by a plain setPluginData before it); '' when none. */
export function readPluginData(node: Pick<DataNode, 'getPluginData'>, key: string): string {
  let value = node.getPluginData(key);
  if (!value) return '';
  for (let n = 2; n <= MAX_PIECES; n++) {
    const piece = node.getPluginData(pieceKey(key, n));
    if (!piece) break;
    value += piece;
  }
  return value;
}

/** `value` split into pieces of at most PIECE_CHARS, never between the two halves of a surrogate pair. */
function pieces(value: string): string[] {
  const out: string[] = [];
  for (let start = 0; start < value.length; ) {
    let end = Math.min(value.length, start + PIECE_CHARS);
    const last = value.charCodeAt(end - 1);
    if (end < value.length && last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate stays with its low one
    out.push(value.slice(start, end));
    start = end;
  }
  return out;
}

/** Stores `value` ('' removes it) in as many pieces as it takes, and removes the pieces a longer value left. */
export function writePluginData(node: DataNode, key: string, value: string): void {
  const parts = pieces(value);
  if (parts.length > MAX_PIECES) throw new Error(`${key} would take ${parts.length} pieces of pluginData; at most ${MAX_PIECES} are read back`);
  parts.forEach((part, i) => node.setPluginData(pieceKey(key, i + 1), part));
  if (parts.length === 0) node.setPluginData(key, '');
  for (let n = Math.max(2, parts.length + 1); n <= MAX_PIECES && node.getPluginData(pieceKey(key, n)); n++) node.setPluginData(pieceKey(key, n), '');
}
