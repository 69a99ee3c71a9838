// Places ready images on the canvas. An empty target gets an IMAGE fill on top of its fills; a
// target showing only a Framefill image gets the new image in that fill's place; a target with
// content gets a new image layer right above it (the original untouched); no target means the
// middle of the view, beside what is there rather than over it. Every placed result is its own
// undo step.
import type { BaseNode, ChildrenMixin, FrameNode, Image, ImagePaint, PluginAPI, RectangleNode, SceneNode } from './figma-types';
import type { Provenance } from './messages';
import type { ReadyImage } from './incoming-images';
import type { Anchor } from './anchor';
import { CONTAINER_TYPES, fillsOf, inInstance, isEmptyTarget, quoted, type TargetNode } from './node-utils';
import { centredAt, fitWithin, pageBox, pageGeometry, rightOf, type Box, type PageGeometry } from './geometry';
import { framefillFillHash, markFramefillFill, writeProvenance } from './provenance';
import { freeSpotNear, isWithin } from './free-spot';
import { oneLine } from '../common/text';

/** Longest side of a layer placed without a target, in canvas px. */
export const LOOSE_LAYER_MAX_SIDE = 1024;
/** Space between variations placed side by side. */
export const VARIATION_GAP = 24;
export const LAYER_NAME_MAX = 60;

export interface PlaceInput {
  anchor: Anchor;
  images: readonly ReadyImage[];
  mode: 'one' | 'all';
  name: string;
  provenance: Provenance;
  /** changes that belong to the result's undo step, made just before it closes */
  beforeCommit?: () => void;
}

export interface PlaceOutcome {
  nodeIds: string[];
  imageHash: string | null;
  notices: string[];
  /** each placed image and the node showing it, in order (to tell later whether it still shows) */
  shown: { nodeId: string; imageHash: string }[];
}

/** The prompt as a layer name: one line, at most ~60 characters. */
export function layerName(name: string, index = 0, count = 1): string {
  const base = oneLine(name, LAYER_NAME_MAX) || 'Framefill image';
  return count > 1 ? `${base} (${index + 1})` : base;
}

function imagePaint(image: Image): ImagePaint {
  return { type: 'IMAGE', imageHash: image.hash, scaleMode: 'FILL' };
}

export function placeImages(api: PluginAPI, input: PlaceInput): PlaceOutcome {
  const { anchor, mode, provenance } = input;
  const images = mode === 'one' ? input.images.slice(0, 1) : input.images;
  const notices = anchor.kind === 'target' ? [] : anchor.notice ? [anchor.notice] : [];
  const placed: SceneNode[] = [];
  const shown: PlaceOutcome['shown'] = [];
  const count = images.length;

  const finish = (node: SceneNode, image: ReadyImage) => {
    writeProvenance(node, provenance);
    markFramefillFill(node, image.image.hash);
    placed.push(node);
    shown.push({ nodeId: node.id, imageHash: image.image.hash });
    input.beforeCommit?.();
    api.commitUndo(); // one result = one undo step
  };

  if (anchor.kind === 'target' && mode === 'one') {
    const target = anchor.node;
    const image = images[0]!;
    const previous = framefillFillHash(target);
    if (previous !== null) {
      // Running again on Framefill's own image: the new one takes its place (undo brings it back).
      target.fills = fillsOf(target).map((p) => (p.type === 'IMAGE' && p.imageHash === previous ? { ...p, imageHash: image.image.hash } : p));
      finish(target, image);
    } else if (isEmptyTarget(target)) {
      // Fills are immutable arrays: copy, add on top (last paint is drawn topmost), reassign.
      target.fills = [...fillsOf(target), imagePaint(image.image)];
      finish(target, image);
    } else {
      const above = layerAbove(api, target, image, layerName(input.name));
      if (above.notice) notices.push(above.notice);
      finish(above.node, image);
    }
  } else if (anchor.kind === 'target') {
    const target = anchor.node;
    const box = pageBox(target) ?? { x: target.x, y: target.y, width: target.width, height: target.height };
    const size = { width: target.width, height: target.height };
    images.forEach((image, i) => finish(looseLayer(api, image, layerName(input.name, i, count), rightOf(box, size, i, VARIATION_GAP)), image));
  } else {
    // No usable target: a row of layers where it was, or centred in the view.
    const size = anchor.kind === 'spot'
      ? { width: anchor.geometry.width, height: anchor.geometry.height }
      : fitWithin(images[0]!.width, images[0]!.height, LOOSE_LAYER_MAX_SIDE);
    const rowWidth = count * size.width + (count - 1) * VARIATION_GAP;
    const start = anchor.kind === 'spot'
      ? (count === 1 ? anchor.geometry : anchor.box) // one result keeps the target's rotation; a row is laid out straight
      : freeSpotNear(centredAt(api.viewport.center, { width: rowWidth, height: size.height }), topLevelBoxes(api), VARIATION_GAP, api.viewport.bounds);
    images.forEach((image, i) => {
      const box = { x: start.x + i * (size.width + VARIATION_GAP), y: start.y, ...size };
      const rotation = anchor.kind === 'spot' && count === 1 ? anchor.geometry.rotation : 0;
      finish(looseLayer(api, image, layerName(input.name, i, count), box, rotation), image);
    });
    api.currentPage.selection = placed;
    // The view stays put unless the new image would be (partly) out of sight.
    const row = { x: start.x, y: start.y, width: rowWidth, height: size.height };
    if (!isWithin(row, api.viewport.bounds)) api.viewport.scrollAndZoomIntoView(placed);
  }
  return { nodeIds: placed.map((n) => n.id), imageHash: images[0]?.image.hash ?? null, notices, shown };
}

/** What a new layer on the page should not cover: the visible layers at the top of the page. */
function topLevelBoxes(api: PluginAPI): Box[] {
  return api.currentPage.children.flatMap((node) => (node.visible && node.absoluteBoundingBox ? [node.absoluteBoundingBox] : []));
}

/** A new image layer on the current page at a page-coordinate box. */
function looseLayer(api: PluginAPI, image: ReadyImage, name: string, box: Box, rotation = 0): RectangleNode {
  const rect = newImageRect(api, image, name);
  setBox(rect, box, rotation);
  return rect;
}

/** A new image layer with the target's geometry, right above it in the same parent. */
export function layerAbove(api: PluginAPI, target: TargetNode, image: ReadyImage, name: string): { node: RectangleNode; notice: string | null } {
  const rect = newImageRect(api, image, name);
  const where = putAbove(target, rect);
  return { node: rect, notice: where === 'page' ? `The image went on the page over ${quoted(target.name)}, since layers can't be added inside ${target.parent?.type === 'BOOLEAN_OPERATION' ? 'a boolean group' : 'a component instance'}` : null };
}

/**
 * Gives a new layer (fresh from figma.createX, so on the current page) the target's geometry,
 * right above it in the same parent; on the page over it when the parent can't hold it.
 */
export function putAbove(target: TargetNode, node: RectangleNode | FrameNode): 'parent' | 'page' {
  const parent = target.parent;
  // Figma forbids adding children inside an instance, and a layer inside a boolean group would
  // become part of its shape: place on the page over the target instead.
  if (!parent || !canHoldNewLayer(parent)) {
    const g: PageGeometry | null = pageGeometry(target);
    setBox(node, g ?? { x: target.x, y: target.y, width: target.width, height: target.height }, g?.rotation ?? 0);
    return 'page';
  }
  parent.insertChild(parent.children.indexOf(target) + 1, node);
  // In auto layout a new child would join the flow and push its siblings around; float it.
  if ('layoutMode' in parent && parent.layoutMode !== 'NONE') node.layoutPositioning = 'ABSOLUTE';
  setBox(node, target, target.rotation);
  if (CONTAINER_TYPES.has(parent.type) && 'constraints' in target) node.constraints = { ...target.constraints };
  return 'parent';
}

function setBox(node: RectangleNode | FrameNode, box: Box, rotation: number): void {
  node.resize(Math.max(0.01, box.width), Math.max(0.01, box.height));
  node.rotation = rotation;
  node.x = box.x;
  node.y = box.y;
}

function canHoldNewLayer(parent: BaseNode & ChildrenMixin): boolean {
  if (parent.type === 'BOOLEAN_OPERATION') return false;
  return !inInstance(parent);
}

function newImageRect(api: PluginAPI, image: ReadyImage, name: string): RectangleNode {
  const rect = api.createRectangle();
  rect.name = name;
  rect.fills = [imagePaint(image.image)];
  rect.strokes = [];
  return rect;
}
