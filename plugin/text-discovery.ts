// The texts a target belongs with, for the panel's {text} and {parent} prompt fields (issue 14):
// the text layers inside the target, else those of its nearest container (the card it sits in),
// most prominent first. Pure reads of the node tree; no canvas changes.
import type { SceneNode, TextNode } from './figma-types';
import { childrenOf, containerParent } from './node-utils';

/** Enough for {text} and a few alternatives; the message stays small for 50 targets. */
export const MAX_TEXTS = 8;
export const MAX_TEXT_CHARS = 200;
/** A container holding a whole page of layers is walked only this far (the panel stays responsive). */
const MAX_VISITED = 4000;

export interface TargetTexts {
  /** visible, non-empty texts, largest font first, then top-to-bottom, left-to-right */
  texts: string[];
  /** the container the texts came from (or the target's parent when the texts are its own) */
  parentName: string | null;
}

interface Found {
  text: string;
  size: number;
  y: number;
  x: number;
}

/** The name of the container `node` sits in (never the page), on one line and as long as a prompt field's text. */
export function containerName(node: SceneNode): string | null {
  const parent = containerParent(node);
  return parent ? clip(parent.name) : null;
}

export function discoverTexts(target: SceneNode): TargetTexts {
  const own = collect(target, null);
  const parent = containerParent(target);
  if (own.length > 0) return { texts: rank(own), parentName: containerName(target) };
  // Walk up until a container holds text outside the target: the card the photo sits in.
  for (let node = parent; node; node = containerParent(node)) {
    const found = collect(node, target);
    if (found.length > 0) return { texts: rank(found), parentName: clip(node.name) };
  }
  return { texts: [], parentName: containerName(target) };
}

/** Visible text layers under `root` (hidden layers and `skip`'s subtree left out). */
function collect(root: SceneNode, skip: SceneNode | null): Found[] {
  const found: Found[] = [];
  const stack: SceneNode[] = [root];
  let visited = 0;
  while (stack.length > 0 && visited < MAX_VISITED) {
    const node = stack.pop()!;
    visited++;
    if (node === skip || !node.visible) continue;
    if (node.type === 'TEXT') {
      const text = clip(node.characters);
      const box = node.absoluteBoundingBox;
      if (text) found.push({ text, size: largestSize(node), y: box?.y ?? 0, x: box?.x ?? 0 });
      continue;
    }
    stack.push(...childrenOf(node));
  }
  return found;
}

/** Mixed fonts: the largest size in the layer is what makes it prominent. */
function largestSize(node: TextNode): number {
  if (typeof node.fontSize === 'number') return node.fontSize;
  const sizes = node.getStyledTextSegments(['fontSize']).map((s) => s.fontSize);
  return sizes.length > 0 ? Math.max(...sizes) : 0;
}

function rank(found: Found[]): string[] {
  const ordered = [...found].sort((a, b) => b.size - a.size || a.y - b.y || a.x - b.x);
  // The same words twice (a title repeated in a tooltip) fill no extra field.
  return [...new Set(ordered.map((f) => f.text))].slice(0, MAX_TEXTS);
}

/** One line, at most MAX_TEXT_CHARS: a prompt field is a phrase, not a paragraph. */
function clip(value: string): string {
  return value.replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT_CHARS);
}
