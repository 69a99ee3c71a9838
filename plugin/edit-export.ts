// What an edit tool sends upstream (export-image). 'image': the target's image fill as Figma
// stores it (whole, uncropped). 'fill': the target as its fills alone show it (every layer inside
// hidden), upright at its own shape (its parents' rotation undone too). With `area`: the target's "Framefill area" exported with
// the same settings as the mask, its own paint cleared and every visible shape in it solid black
// (the convention of mask.ts: OPAQUE = the part to change).
import type { BlendMixin, ExportMixin, ExportSettingsImage, ImagePaint, LayoutMixin, Paint, PluginAPI, SceneNode, SolidPaint } from './figma-types';
import type { ExportedImage } from './messages';
import { clearOwnPaint, type MaskImage } from './mask';
import { exportSettingsFor } from './export-settings';
import { readImageHeader } from '../common/image-header';
import { plainBytes } from './image-bytes';
import { childrenOf, fillsOf, isTargetType, quoted, type TargetNode } from './node-utils';
import { TemporaryPatch } from './temporary-patch';
import { topImageIndex } from './image-fill';
import { areaOf } from './area';
import { linesUp } from './area-geometry';
import { pageRotation } from './geometry';

export interface EditExportRequest {
  nodeId: string;
  source: 'image' | 'fill';
  maxSide: number;
  area: boolean;
}

export type EditExportOutcome = { ok: true; image: ExportedImage; mask: MaskImage | null } | { ok: false; message: string };

const BLACK: SolidPaint = { type: 'SOLID', color: { r: 0, g: 0, b: 0 }, opacity: 1 };

class Refusal extends Error {}

export async function exportForEdit(api: PluginAPI, request: EditExportRequest): Promise<EditExportOutcome> {
  try {
    const node = await api.getNodeByIdAsync(request.nodeId);
    if (!node || node.removed || !isTargetType(node)) throw new Refusal('The layer to edit was deleted — select it again');
    if (request.source === 'image') {
      if (request.area) throw new Refusal('An area edit works on the layer as it shows, not on its stored image');
      return { ok: true, image: await storedImage(api, node), mask: null };
    }
    const settings = exportSettingsFor(node, request.maxSide, 'PNG');
    const image = await fillOnly(node, settings);
    if (!request.area) return { ok: true, image, mask: null };
    const mask = await areaMask(node, settings);
    if (mask.width !== image.width || mask.height !== image.height) {
      throw new Refusal(`The area came out ${mask.width}×${mask.height} px but ${quoted(node.name)} is ${image.width}×${image.height} px — select the area again`);
    }
    return { ok: true, image, mask };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, message: error.message };
    return { ok: false, message: `Couldn't export the image to edit: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function storedImage(api: PluginAPI, node: TargetNode): Promise<ExportedImage> {
  const fills = fillsOf(node);
  const index = topImageIndex(fills);
  if (index < 0) throw new Refusal(`${quoted(node.name)} shows no image any more`);
  const image = api.getImageByHash((fills[index] as ImagePaint).imageHash!);
  let bytes: Uint8Array | null;
  try {
    bytes = image ? await image.getBytesAsync() : null;
  } catch {
    bytes = null;
  }
  if (!bytes) throw new Refusal(`The image in ${quoted(node.name)} can't be read from this file — place it again`);
  const info = readImageHeader(bytes);
  if (!info || (info.format !== 'png' && info.format !== 'jpeg')) {
    const what = info?.format === 'gif' ? 'a GIF' : 'not a PNG or JPEG';
    throw new Refusal(`The image in ${quoted(node.name)} is ${what}; the edit tools work on PNG and JPEG images — replace it with one`);
  }
  return { nodeId: node.id, bytes: plainBytes(bytes), format: info.format, width: info.width, height: info.height };
}

/**
 * Turns `node` upright on the page for an export. exportAsync renders the node as the page shows
 * it, so a layer in a rotated frame comes out tilted in a larger box, unlike its fill (and unlike
 * the mask); `rotation` is relative to the parent, so the page-level tilt is what to take off.
 */
function upright(node: SceneNode & LayoutMixin, patch: TemporaryPatch): void {
  const turned = node.rotation - pageRotation(node);
  // Back within Figma's -180..180, and exactly 0 when it is 0 but for rounding.
  const normal = ((((turned + 180) % 360) + 360) % 360) - 180;
  patch.set(node, 'rotation', Math.abs(normal) < 1e-9 ? 0 : normal);
}

/** The target with only its own fills showing, upright (its shape as the fill sees it). */
async function fillOnly(node: TargetNode, settings: ExportSettingsImage): Promise<ExportedImage> {
  const patch = new TemporaryPatch();
  try {
    for (const child of childrenOf(node)) patch.set(child, 'visible', false);
    upright(node, patch);
    const bytes = await exportOf(node, settings);
    return { nodeId: node.id, ...bytes, format: 'png' };
  } finally {
    patch.restore();
  }
}

async function areaMask(target: TargetNode, settings: ExportSettingsImage): Promise<MaskImage> {
  const area = areaOf(target);
  if (!area) throw new Refusal(`${quoted(target.name)} has no area any more — use Select area again`);
  if (!linesUp(area, target)) {
    throw new Refusal(`The area no longer lines up with ${quoted(target.name)} — move it back over the image, or delete it and use Select area again`);
  }
  const patch = new TemporaryPatch();
  try {
    patch.set(area, 'visible', true);
    clearOwnPaint(area, patch);
    upright(area, patch);
    if (!paintBlack(area, patch)) throw new Refusal(`The area over ${quoted(target.name)} has no visible shape in it — draw the part to change inside it`);
    return await exportOf(area, settings);
  } finally {
    patch.restore();
  }
}

/** Every visible shape inside painted solid black; true when at least one paints something. */
function paintBlack(node: SceneNode, patch: TemporaryPatch): boolean {
  let painted = false;
  for (const child of childrenOf(node)) {
    if (!child.visible) continue;
    const paintable = child as unknown as Partial<Record<'fills' | 'strokes', readonly Paint[] | symbol>>;
    if ('opacity' in child) patch.set(child as BlendMixin, 'opacity', 1);
    if ('isMask' in child) patch.set(child as BlendMixin, 'isMask', false);
    if ('effects' in child) patch.set(child as BlendMixin, 'effects', []);
    for (const key of ['fills', 'strokes'] as const) {
      const paints = paintable[key];
      if (paints === undefined) continue;
      const shown = Array.isArray(paints) ? (paints as readonly Paint[]).filter((p) => p.visible !== false) : [BLACK];
      if (shown.length) painted = true;
      patch.set(paintable as Record<typeof key, readonly Paint[] | symbol>, key, shown.length ? [BLACK] : []);
    }
    if (paintBlack(child, patch)) painted = true;
  }
  return painted;
}

async function exportOf(node: SceneNode & ExportMixin, settings: ExportSettingsImage): Promise<MaskImage> {
  const bytes = await node.exportAsync({ ...settings, format: 'PNG' });
  const info = readImageHeader(bytes);
  if (!info) throw new Refusal(`Figma's export of ${quoted(node.name)} could not be read`);
  return { bytes: plainBytes(bytes), width: info.width, height: info.height };
}
