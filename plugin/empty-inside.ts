// The empty layers inside a selection: a designer selects a whole mockup (or a row of cards, or a
// group) and Framefill finds the placeholders in it — empty frames and shapes that could take an
// image — so one click selects them as fill targets. Pure reads; selecting them is the caller's.
import type { SceneNode } from './figma-types';
import { AREA_KEY, areaContaining } from './area';
import { childrenOf, isEmptyTarget, isMaskLayer, isTargetType } from './node-utils';

/** Smaller than this on either side is an icon, a divider or a dot, not a place for a picture. */
export const MIN_PLACEHOLDER_SIDE = 32;
/** A mockup page has thousands of layers: the walk stops after this many (it runs on every selection change). */
export const MAX_VISITS = 5_000;
/** More than a run takes many times over; the count shown stops here. */
export const MAX_FOUND = 500;

/** A name that says a layer is meant to hold a picture, even when it spans its container. */
const IMAGE_NAME = /image|photo|picture|\bimg\b|avatar|thumbnail|hero|cover|illustration|placeholder|banner|media/i;

/**
 * A layer spanning its container with other layers drawn above it is the container's background
 * (a card's white panel), not a picture spot — unless its name says it is one (a hero photo
 * under its headline).
 */
function isBackground(node: SceneNode, parent: SceneNode, later: readonly SceneNode[]): boolean {
  const spans = node.width >= parent.width * 0.95 && node.height >= parent.height * 0.95;
  return spans && later.some((sibling) => sibling.visible) && !IMAGE_NAME.test(node.name);
}

function isPlaceholder(node: SceneNode, parent: SceneNode, later: readonly SceneNode[]): boolean {
  return (
    isTargetType(node) &&
    isEmptyTarget(node) &&
    node.width >= MIN_PLACEHOLDER_SIDE &&
    node.height >= MIN_PLACEHOLDER_SIDE &&
    !isBackground(node, parent, later)
  );
}

/**
 * The placeholders inside `selected` (never a selected layer itself): each selected layer's in
 * document order, one selected layer after another. Hidden
 * and locked layers, mask layers and Framefill's area frames are passed over with what they hold:
 * the user could not see or change what a run would fill there.
 */
export function emptyLayersInside(selected: readonly SceneNode[], limits = { visits: MAX_VISITS, found: MAX_FOUND }): SceneNode[] {
  const chosen = new Set(selected.map((node) => node.id));
  const found: SceneNode[] = [];
  const seen = new Set<string>();
  let visits = 0;
  const stack: Array<{ node: SceneNode; parent: SceneNode; later: readonly SceneNode[] }> = [];
  const pushChildren = (parent: SceneNode) => {
    const children = childrenOf(parent);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, parent, later: children.slice(i + 1) });
  };
  for (const root of selected) {
    if (!root.visible || root.locked || areaContaining(root)) continue;
    pushChildren(root);
    while (stack.length > 0 && visits < limits.visits && found.length < limits.found) {
      const { node, parent, later } = stack.pop()!;
      visits++;
      // Nested selections (a card and its grid) would otherwise count a layer twice.
      if (seen.has(node.id) || !node.visible || node.locked || isMaskLayer(node) || node.getPluginData(AREA_KEY)) continue;
      seen.add(node.id);
      if (chosen.has(node.id)) continue;
      if (isPlaceholder(node, parent, later)) found.push(node);
      else pushChildren(node);
    }
    stack.length = 0;
  }
  return found;
}

/** What the panel says about them: "4 empty frames", "2 empty shapes". */
export function countByKind(nodes: readonly SceneNode[]): { frames: number; shapes: number } {
  const frames = nodes.filter((node) => node.type === 'FRAME' || node.type === 'COMPONENT' || node.type === 'INSTANCE').length;
  return { frames, shapes: nodes.length - frames };
}
