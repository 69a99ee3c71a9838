// The "Framefill area" layer (Select area): a frame with the target's geometry right above it,
// linked by pluginData, holding the shapes the user marks the part to change with. Selecting it
// or anything inside it stands for its target; the mask is exported from it (edit-export.ts);
// the area edit's placement removes it (place-edit.ts).
import type { BaseNode, FrameNode, PluginAPI, SceneNode, SolidPaint } from './figma-types';
import { childrenOf, pageOf, type TargetNode } from './node-utils';
import { putAbove } from './place';
import { defaultAreaShape } from './area-geometry';

/** pluginData on the area frame: the id of the target it belongs to */
export const AREA_KEY = 'framefill-area';
const AREA_NAME = 'Framefill area';
const AREA_SHAPE_NAME = 'Area';
/** Figma's selection blue: reads as "a tool's overlay", not as artwork */
const ACCENT = { r: 0.051, g: 0.6, b: 1 };
const ACCENT_FILL: SolidPaint = { type: 'SOLID', color: ACCENT, opacity: 0.4 };
const ACCENT_STROKE: SolidPaint = { type: 'SOLID', color: ACCENT, opacity: 1 };

/** The area frame this node is or sits in, with the id of its target; null when it is in none. */
export function areaContaining(node: BaseNode): { area: SceneNode; targetId: string } | null {
  for (let current: BaseNode | null = node; current && current.type !== 'PAGE'; current = current.parent) {
    const targetId = current.getPluginData(AREA_KEY);
    if (targetId) return { area: current as SceneNode, targetId };
  }
  return null;
}

/** The area frames inside a node (not the node itself): overlays, never part of a reference image. */
export function areasInside(node: BaseNode): SceneNode[] {
  return childrenOf(node).flatMap((child) => (child.getPluginData(AREA_KEY) ? [child] : areasInside(child)));
}

/** The target's area frame: a sibling (where createArea puts it) or, failing that, on its page. */
export function areaOf(target: SceneNode): FrameNode | null {
  const isOurs = (node: SceneNode): node is FrameNode => node.type === 'FRAME' && node.getPluginData(AREA_KEY) === target.id;
  const siblings = target.parent ? childrenOf(target.parent) : [];
  const page = pageOf(target);
  return siblings.find(isOurs) ?? (page ? page.children.find(isOurs) : undefined) ?? null;
}

/** Select area: the target's area frame (a new one, or the one it has), with its shape selected. */
export function createArea(api: PluginAPI, target: TargetNode): SceneNode {
  const existing = areaOf(target);
  if (existing) {
    api.currentPage.selection = [existing];
    return existing;
  }
  const frame = api.createFrame();
  frame.name = AREA_NAME;
  frame.fills = [];
  frame.strokes = [ACCENT_STROKE];
  frame.strokeWeight = 1;
  frame.dashPattern = [4, 4];
  frame.clipsContent = true;
  frame.setPluginData(AREA_KEY, target.id);
  putAbove(target, frame);
  const shape = api.createEllipse();
  shape.name = AREA_SHAPE_NAME;
  shape.fills = [ACCENT_FILL];
  shape.strokes = [];
  frame.appendChild(shape);
  const box = defaultAreaShape(target);
  shape.resize(box.width, box.height);
  shape.x = box.x;
  shape.y = box.y;
  api.commitUndo(); // Select area is one undo step
  api.currentPage.selection = [shape]; // shaped right away, or more shapes drawn beside it
  return frame;
}
