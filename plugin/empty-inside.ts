// The empty layers inside a selection: a designer selects a whole mockup (or a row of cards, or a
// group) and Framefill finds the placeholders in it — empty frames and shapes that could take an
// image — so one click selects them as fill targets. Pure reads; selecting them is the caller's.
import type { SceneNode } from './figma-types';
import { AREA_KEY, areaContaining } from './area';
import { childrenOf, isEmptyTarget, isMaskLayer } from './node-utils';

/** Smaller than this on either side is an icon, a divider or a dot, not a place for a picture. */
export const MIN_PLACEHOLDER_SIDE = 32;
/**
 * A mockup page has thousands of layers. Counting runs on every selection change, on Figma's main
 * thread, so it looks at this many (a few milliseconds); the click that selects them looks further.
 */
export const COUNT_VISITS = 2_000;
export const SELECT_VISITS = 20_000;
/** More than a run takes many times over; the count shown stops here. */
export const MAX_FOUND = 500;

/** What designers draw picture spots with; stars, polygons and vectors are drawings of their own. */
const PLACEHOLDER_TYPES: ReadonlySet<string> = new Set(['FRAME', 'COMPONENT', 'INSTANCE', 'RECTANGLE', 'ELLIPSE']);
/** Layers whose children are layout; a boolean operation's children are its outline. */
const HOLDS_LAYERS: ReadonlySet<string> = new Set(['FRAME', 'GROUP', 'COMPONENT', 'COMPONENT_SET', 'INSTANCE', 'SECTION']);

/** A name that says a layer is meant to hold a picture, even when it spans its container. */
const IMAGE_NAME = /image|photo|picture|\bimg\b|avatar|thumbnail|hero|cover|illustration|placeholder|banner|media/i;

/**
 * A layer spanning its container with other layers drawn above it is the container's background
 * (a card's white panel), not a picture spot — unless its name says it is one (a hero photo
 * under its headline).
 */
function isBackground({ node, parent, siblings, index }: Visit): boolean {
  const spans = node.width >= parent.width * 0.95 && node.height >= parent.height * 0.95;
  if (!spans || IMAGE_NAME.test(node.name)) return false;
  for (let i = index + 1; i < siblings.length; i++) if (siblings[i]!.visible) return true;
  return false;
}

function isPlaceholder(visit: Visit): boolean {
  const { node } = visit;
  return PLACEHOLDER_TYPES.has(node.type) && isEmptyTarget(node) && node.width >= MIN_PLACEHOLDER_SIDE && node.height >= MIN_PLACEHOLDER_SIDE && !isBackground(visit);
}

/** A layer met on the walk, with where it sits: its container and its place among the layers there. */
interface Visit {
  node: SceneNode;
  parent: SceneNode;
  siblings: readonly SceneNode[];
  index: number;
}

/**
 * The placeholders inside `selected` (never a selected layer itself): each selected layer's in
 * document order, one selected layer after another. Hidden and locked layers, mask layers and
 * Framefill's area frames are passed over with what they hold: the user could not see or change
 * what a run would fill there.
 */
export function emptyLayersInside(selected: readonly SceneNode[], limits: { visits: number; found: number }): { nodes: SceneNode[]; complete: boolean } {
  const chosen = new Set(selected.map((node) => node.id));
  const found: SceneNode[] = [];
  const seen = new Set<string>();
  let visits = 0;
  const stack: Visit[] = [];
  const pushChildren = (parent: SceneNode) => {
    const siblings = childrenOf(parent);
    for (let index = siblings.length - 1; index >= 0; index--) stack.push({ node: siblings[index]!, parent, siblings, index });
  };
  for (const root of selected) {
    if (!root.visible || root.locked || areaContaining(root)) continue;
    pushChildren(root);
    while (stack.length > 0 && visits < limits.visits && found.length < limits.found) {
      const visit = stack.pop()!;
      const { node } = visit;
      visits++;
      // Nested selections (a card and its grid) would otherwise count a layer twice.
      if (seen.has(node.id) || !node.visible || node.locked || isMaskLayer(node) || node.getPluginData(AREA_KEY)) continue;
      seen.add(node.id);
      if (chosen.has(node.id)) continue;
      if (isPlaceholder(visit)) found.push(node);
      else if (HOLDS_LAYERS.has(node.type)) pushChildren(node);
    }
    if (stack.length > 0) return { nodes: found, complete: false };
  }
  return { nodes: found, complete: true };
}

/** What the panel says about them: "4 empty frames", "2 empty shapes". */
export function countByKind(nodes: readonly SceneNode[]): { frames: number; shapes: number } {
  const frames = nodes.filter((node) => node.type === 'FRAME' || node.type === 'COMPONENT' || node.type === 'INSTANCE').length;
  return { frames, shapes: nodes.length - frames };
}
