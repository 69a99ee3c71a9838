// The edit mask: the target exported with only its mask layer showing, painted solid black on a
// transparent background. Exporting the target itself (same settings, absolute bounds) makes the
// mask exactly the reference's pixel size with the mask where the layer sits.
//
// Pixel meaning: OPAQUE where the user's mask layer is (the area they marked), transparent
// elsewhere. OpenAI's edits want the opposite (transparent = edit here), so the panel inverts
// the alpha before upload.
import type { BaseNode, BlendMixin, ExportMixin, ExportSettingsImage, Paint, SceneNode, SolidPaint } from './figma-types';
import { childrenOf } from './node-utils';
import { TemporaryPatch } from './temporary-patch';
import { readImageHeader } from '../common/image-header';
import { plainBytes } from './image-bytes';

const BLACK: SolidPaint = { type: 'SOLID', color: { r: 0, g: 0, b: 0 }, opacity: 1 };

export interface MaskImage {
  bytes: Uint8Array<ArrayBuffer>;
  width: number;
  height: number;
}

export async function exportMask(target: SceneNode & ExportMixin, mask: SceneNode, settings: ExportSettingsImage): Promise<MaskImage> {
  const path = pathBetween(target, mask);
  if (!path) throw new Error('the mask layer is not inside the target');
  const patch = new TemporaryPatch();
  try {
    // The target and every layer between it and the mask paint nothing of their own.
    for (const node of [target, ...path.slice(0, -1)]) {
      if (node !== target) patch.set(node, 'visible', true);
      clearOwnPaint(node, patch);
    }
    // Everything beside the path is hidden (hiding a layer hides what it contains).
    const onPath = new Set<BaseNode>([target, ...path]);
    for (const level of [target, ...path.slice(0, -1)]) {
      for (const child of childrenOf(level)) if (!onPath.has(child)) patch.set(child, 'visible', false);
    }
    // The mask itself: shown, solid, and painted (a Figma mask layer is not painted otherwise).
    patch.set(mask, 'visible', true);
    if ('opacity' in mask) patch.set(mask as BlendMixin, 'opacity', 1);
    if ('isMask' in mask) patch.set(mask as BlendMixin, 'isMask', false);
    if ('effects' in mask) patch.set(mask as BlendMixin, 'effects', []);
    for (const key of ['fills', 'strokes'] as const) {
      if (!(key in mask)) continue;
      const paints = (mask as unknown as Record<typeof key, unknown>)[key];
      if (Array.isArray(paints)) patch.set(mask as unknown as Record<typeof key, readonly Paint[]>, key, paints.map((p: Paint) => (p.visible === false ? p : BLACK)));
      else if (key === 'fills') patch.set(mask as unknown as Record<typeof key, readonly Paint[]>, key, [BLACK]); // mixed text fills
    }
    const bytes = await target.exportAsync({ ...settings, format: 'PNG' });
    const info = readImageHeader(bytes);
    if (!info) throw new Error('the mask export could not be read');
    return { bytes: plainBytes(bytes), width: info.width, height: info.height };
  } finally {
    patch.restore();
  }
}

/** The chain of nodes from just below `ancestor` down to `node`, or null if not inside it. */
function pathBetween(ancestor: BaseNode, node: SceneNode): SceneNode[] | null {
  const path: SceneNode[] = [];
  for (let current: BaseNode | null = node; current; current = current.parent) {
    if (current === ancestor) return path.reverse();
    path.push(current as SceneNode);
  }
  return null;
}

/** The node paints nothing of its own (fills, strokes, effects gone; opacity 1 for what it holds). */
export function clearOwnPaint(node: SceneNode, patch: TemporaryPatch): void {
  const paintable = node as unknown as Partial<Record<'fills' | 'strokes' | 'effects', unknown>> & { opacity?: number };
  for (const key of ['fills', 'strokes', 'effects'] as const) {
    if (key in paintable) patch.set(paintable as Record<typeof key, unknown>, key, []);
  }
  if ('opacity' in paintable) patch.set(paintable as { opacity: number }, 'opacity', 1);
}
