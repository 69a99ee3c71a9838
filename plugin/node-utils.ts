// Small read-only helpers over Figma nodes shared by selection, export and placement.
import type { BaseNode, BooleanOperationNode, ComponentNode, EllipseNode, FrameNode, InstanceNode, MinimalFillsMixin, PageNode, Paint, PolygonNode, RectangleNode, SceneNode, StarNode, VectorNode } from './figma-types';
import { truncate } from '../common/text';

/** Node types that hold fills and can receive an image. */
export const TARGET_TYPES: ReadonlySet<string> = new Set([
  'FRAME',
  'COMPONENT',
  'INSTANCE',
  'RECTANGLE',
  'ELLIPSE',
  'POLYGON',
  'STAR',
  'VECTOR',
  'BOOLEAN_OPERATION',
]);

/** Nodes whose children sit in their own coordinate space (groups do not). */
export const CONTAINER_TYPES: ReadonlySet<string> = new Set(['FRAME', 'COMPONENT', 'COMPONENT_SET', 'INSTANCE']);

export type TargetNode = FrameNode | ComponentNode | InstanceNode | RectangleNode | EllipseNode | PolygonNode | StarNode | VectorNode | BooleanOperationNode;

export function isTargetType(node: BaseNode): node is TargetNode {
  return TARGET_TYPES.has(node.type);
}

export function childrenOf(node: BaseNode): readonly SceneNode[] {
  return 'children' in node ? (node.children as readonly SceneNode[]) : [];
}

/** The parent, unless it is the page (the page is not a card: its texts and name belong to everything). */
export function containerParent(node: BaseNode): SceneNode | null {
  const parent = node.parent;
  return parent && parent.type !== 'PAGE' && parent.type !== 'DOCUMENT' ? (parent as SceneNode) : null;
}

export function pageOf(node: BaseNode): PageNode | null {
  let current: BaseNode | null = node;
  while (current && current.type !== 'PAGE') current = current.parent;
  return current;
}

/** The fills as an array ([] for mixed or missing), safe to spread into a new array. */
export function fillsOf(node: BaseNode): readonly Paint[] {
  if (!('fills' in node)) return [];
  const fills = (node as MinimalFillsMixin).fills;
  return Array.isArray(fills) ? (fills as readonly Paint[]) : [];
}

export function hasVisibleImageFill(node: BaseNode): boolean {
  return fillsOf(node).some((paint) => (paint.type === 'IMAGE' || paint.type === 'VIDEO') && paint.visible !== false);
}

/** True when the node or any visible descendant shows an image: exporting it is photographic. */
export function showsImage(node: SceneNode): boolean {
  if (hasVisibleImageFill(node)) return true;
  return childrenOf(node).some((child) => child.visible && showsImage(child));
}

/** A layer the user marked as the edit mask: named "mask" (any case) or a Figma mask layer. */
export function isMaskLayer(node: SceneNode): boolean {
  return node.name.trim().toLowerCase() === 'mask' || ('isMask' in node && node.isMask === true);
}

/** The mask layer inside a target: a layer named "mask" first (nearest wins), else a Figma mask layer. */
export function findMaskLayer(target: SceneNode): SceneNode | null {
  const queue: SceneNode[] = [...layersInside(target)];
  let figmaMask: SceneNode | null = null;
  while (queue.length) {
    const node = queue.shift()!;
    if (node.name.trim().toLowerCase() === 'mask') return node;
    if (!figmaMask && 'isMask' in node && node.isMask === true) figmaMask = node;
    queue.push(...childrenOf(node));
  }
  return figmaMask;
}

/** No visible children (mask layers do not count) and no visible image fill. */
export function isEmptyTarget(node: SceneNode): boolean {
  return !hasVisibleImageFill(node) && !hasVisibleLayersInside(node);
}

/** Visible layers drawn inside it (mask layers do not count). */
export function hasVisibleLayersInside(node: SceneNode): boolean {
  return layersInside(node).some((child) => child.visible && !isMaskLayer(child));
}

/** Layers drawn inside a frame-like node; a boolean group's children are its shape, not content. */
function layersInside(node: SceneNode): readonly SceneNode[] {
  return CONTAINER_TYPES.has(node.type) ? childrenOf(node) : [];
}

/** The first locked or hidden node from this one up to the page, with what it is. */
export function blockedBy(node: SceneNode): { node: SceneNode; why: 'locked' | 'hidden' } | null {
  let current: BaseNode | null = node;
  while (current && current.type !== 'PAGE' && current.type !== 'DOCUMENT') {
    const scene = current as SceneNode;
    if (scene.locked) return { node: scene, why: 'locked' };
    if (!scene.visible) return { node: scene, why: 'hidden' };
    current = current.parent;
  }
  return null;
}

/** True when the node is an instance or sits inside one (Figma forbids adding children there). */
export function inInstance(node: BaseNode): boolean {
  for (let current: BaseNode | null = node; current && current.type !== 'PAGE'; current = current.parent) {
    if (current.type === 'INSTANCE') return true;
  }
  return false;
}

export function quoted(name: string): string {
  return `“${truncate(name, 40)}”`;
}
