// Where an edit tool's result goes. expand, area, upscale: the result takes the place of the
// image it was made from, in that fill (scaleMode FILL, the result already has the frame's
// shape), the old image kept hidden right below it (originals.ts). cutout: a new layer right
// above the target, alpha intact. One undo step, which also removes the area layer it used.
import type { ImagePaint, PluginAPI, SceneNode } from './figma-types';
import type { PlaceEdit, Provenance } from './messages';
import type { ReadyImage } from './incoming-images';
import type { PlaceOutcome } from './place';
import { layerAbove, layerName } from './place';
import { fillsOf, type TargetNode } from './node-utils';
import { markFramefillFill, writeProvenance } from './provenance';
import { topImageIndex } from './image-fill';
import { recordKept } from './originals';

export interface EditInput {
  target: TargetNode;
  image: ReadyImage;
  edit: PlaceEdit;
  name: string;
  provenance: Provenance;
  /** changes that belong to the same undo step (removing the area layer), made before it closes */
  beforeCommit(): void;
}

/** Places the result as its tool does; null when the target shows no image to replace any more. */
export function placeEdit(api: PluginAPI, input: EditInput): PlaceOutcome | null {
  const { target, image, edit } = input;
  const hash = image.image.hash;
  const notices: string[] = [];
  let node: SceneNode = target;
  if (edit.tool === 'cutout') {
    const above = layerAbove(api, target, image, layerName(input.name));
    if (above.notice) notices.push(above.notice);
    node = above.node;
  } else if (!replaceImage(target, edit.parentHash, hash)) {
    return null;
  }
  writeProvenance(node, input.provenance);
  markFramefillFill(node, hash);
  input.beforeCommit();
  api.commitUndo(); // the result, the kept original and the removed area: one undo step
  return { nodeIds: [node.id], imageHash: hash, notices, shown: [{ nodeId: node.id, imageHash: hash }] };
}

/** The paint showing `parentHash` (else the topmost visible image) gets `hash`; the old one stays hidden below it. */
function replaceImage(target: TargetNode, parentHash: string | null, hash: string): boolean {
  const fills = fillsOf(target);
  const showing = parentHash === null ? -1 : fills.findIndex((p) => p.type === 'IMAGE' && p.imageHash === parentHash && p.visible !== false);
  const index = showing >= 0 ? showing : topImageIndex(fills);
  if (index < 0) return false;
  const old = fills[index] as ImagePaint;
  // The result has the layer's own shape: shown whole (FILL), with no crop or paint rotation; the
  // user's opacity, blend mode and adjustments stay.
  const fresh: ImagePaint = {
    type: 'IMAGE',
    imageHash: hash,
    scaleMode: 'FILL',
    ...(old.opacity !== undefined ? { opacity: old.opacity } : {}),
    ...(old.blendMode !== undefined ? { blendMode: old.blendMode } : {}),
    ...(old.filters !== undefined ? { filters: old.filters } : {}),
  };
  target.fills = [...fills.slice(0, index), { ...old, visible: false }, fresh, ...fills.slice(index + 1)];
  if (old.imageHash) recordKept(target, old.imageHash);
  return true;
}
