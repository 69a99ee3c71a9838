// Framefill's own images (issue 14, Draft → Finalize and bulk re-run): layers whose provenance
// says Framefill made them and whose Framefill image is still all they show, so a run can replace
// it in place. Pure reads; selecting them is the caller's one canvas change.
import type { BaseNode, SceneNode } from './figma-types';
import type { FramefillImage } from './messages';
import { childrenOf, isTargetType } from './node-utils';
import { framefillFillHash, readProvenance } from './provenance';
import { containerName } from './text-discovery';

/** A page with thousands of placed images is a mis-click away from a huge bill: stop listing there. */
export const MAX_FRAMEFILL_IMAGES = 500;

/** The layer as a Framefill image, or null when it isn't one (any more). */
export function framefillImageOf(node: SceneNode): FramefillImage | null {
  if (!isTargetType(node) || framefillFillHash(node) === null) return null;
  const provenance = readProvenance(node);
  if (!provenance) return null;
  // The card it sits in tells twenty drafts named "Photo" apart on the panel's result cards.
  const parentName = containerName(node);
  return { id: node.id, name: node.name, width: node.width, height: node.height, provenance, ...(parentName ? { parentName } : {}) };
}

/** The Framefill images among these layers (the selection), in their order. */
export function framefillImagesIn(nodes: readonly SceneNode[]): FramefillImage[] {
  return nodes.flatMap((node) => framefillImageOf(node) ?? []);
}

/**
 * Every Framefill image under `root` (the current page), in document order, at most `limit`.
 * A Framefill image holds no visible layers, so its children need no visit; hidden layers are
 * skipped as a user can't see (or sensibly re-run) what they hide.
 */
export function framefillImagesUnder(root: BaseNode, limit = MAX_FRAMEFILL_IMAGES): { images: FramefillImage[]; nodes: SceneNode[] } {
  const images: FramefillImage[] = [];
  const nodes: SceneNode[] = [];
  const stack: SceneNode[] = [...childrenOf(root)].reverse();
  while (stack.length > 0 && images.length < limit) {
    const node = stack.pop()!;
    if (!node.visible) continue;
    const image = framefillImageOf(node);
    if (image) {
      images.push(image);
      nodes.push(node);
    } else {
      stack.push(...[...childrenOf(node)].reverse());
    }
  }
  return { images, nodes };
}
