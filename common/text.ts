// Short labels cut from longer text (layer names, relaunch buttons, quoted names and prompts in
// messages), cut one way everywhere. Lengths count code points, so an emoji is never split into
// half a surrogate pair, and the ellipsis counts towards the limit.

const ELLIPSIS = '…';

/** `text` if it has at most `max` code points (max ≥ 1); otherwise its start and "…", `max` in all. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text; // UTF-16 length is never below the code-point count
  const points = Array.from(text);
  return points.length <= max ? text : points.slice(0, max - 1).join('') + ELLIPSIS;
}

/**
 * `text` on one line: runs of whitespace (newlines included) become one space, both ends are
 * trimmed, and a cut text keeps no space before its "…". At most `max` code points.
 */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const short = truncate(flat, max);
  return short === flat ? flat : short.slice(0, -ELLIPSIS.length).trimEnd() + ELLIPSIS;
}
