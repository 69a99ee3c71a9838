// The originals the edit tools keep: when a result replaces an image in its fill, the old image
// stays right below it as a hidden paint (the original is never destroyed) until the user
// discards it. Which hidden paints are ours is recorded, so a paint the user hid is left alone.
import type { Paint, SceneNode } from './figma-types';

/** pluginData: JSON list of the image hashes the edit tools hid under a new image */
const ORIGINALS_KEY = 'framefill-originals';

export function keptHashes(node: SceneNode): string[] {
  try {
    const parsed: unknown = JSON.parse(node.getPluginData(ORIGINALS_KEY) || '[]');
    return Array.isArray(parsed) ? parsed.filter((h): h is string => typeof h === 'string') : [];
  } catch {
    return [];
  }
}

/** Whether this paint is an original the edit tools kept (hidden, and recorded as theirs). */
export function isKeptOriginal(paint: Paint, kept: readonly string[]): boolean {
  return paint.type === 'IMAGE' && paint.visible === false && paint.imageHash !== null && kept.includes(paint.imageHash);
}

export function recordKept(node: SceneNode, hash: string): void {
  const kept = keptHashes(node);
  if (!kept.includes(hash)) node.setPluginData(ORIGINALS_KEY, JSON.stringify([...kept, hash]));
}

/** Drops the kept originals from the node's fills; returns how many went. */
export function discardOriginals(node: SceneNode & { fills: readonly Paint[] | symbol }): number {
  if (!Array.isArray(node.fills)) return 0;
  const fills = node.fills as readonly Paint[];
  const kept = keptHashes(node);
  const remaining = fills.filter((p) => !isKeptOriginal(p, kept));
  if (remaining.length !== fills.length) node.fills = remaining;
  if (kept.length) node.setPluginData(ORIGINALS_KEY, '');
  return fills.length - remaining.length;
}
