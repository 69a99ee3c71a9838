// References out: each requested node exported within maxSide (PNG, or JPEG when the node shows
// images and the JPEG is smaller), sizes read from the bytes; plus the target's mask on request.
import type { ExportMixin, ExportSettingsConstraints, ExportSettingsImage, PluginAPI, SceneNode } from './figma-types';
import type { ExportedImage } from './messages';
import { exportSettingsFor, smaller, type ExportFormat } from './export-settings';
import { readImageHeader } from '../common/image-header';
import { plainBytes } from './image-bytes';
import { findMaskLayer, isTargetType, quoted, showsImage } from './node-utils';
import { pageBox, type GeometryMemory } from './geometry';
import { TemporaryPatch } from './temporary-patch';
import { exportMask, type MaskImage } from './mask';
import { areasInside } from './area';

export interface ExportRequest {
  nodeIds: readonly string[];
  maxSide: number;
  maskFor: string | null;
}

export type ExportOutcome =
  | { ok: true; images: ExportedImage[]; mask: MaskImage | null }
  | { ok: false; message: string };

type Exportable = SceneNode & ExportMixin;

interface Rendered {
  bytes: Uint8Array<ArrayBuffer>;
  format: 'png' | 'jpeg';
  width: number;
  height: number;
  settings: ExportSettingsImage;
}

class ExportFailure extends Error {}

export async function exportReferences(api: PluginAPI, request: ExportRequest, memory: GeometryMemory, log: (message: string) => void = () => {}): Promise<ExportOutcome> {
  try {
    const images: ExportedImage[] = [];
    const skipped: string[] = [];
    const pngSettings = new Map<string, ExportSettingsImage>();
    for (const id of [...new Set(request.nodeIds)]) {
      // A pinned reference deleted meanwhile is left out (the panel notices the gap and says so);
      // the run only fails when nothing at all could be exported.
      try {
        const node = await findExportable(api, id, memory);
        if (isTargetType(node)) memory.remember(node);
        const rendered = await exportReference(node, request.maxSide);
        pngSettings.set(id, { ...rendered.settings, format: 'PNG' });
        images.push({ nodeId: id, bytes: rendered.bytes, format: rendered.format, width: rendered.width, height: rendered.height });
      } catch (error) {
        if (!(error instanceof ExportFailure)) throw error;
        skipped.push(error.message);
        log(`export: left out ${id}: ${error.message}`);
      }
    }
    if (images.length === 0) throw new ExportFailure(skipped[0] ?? 'Nothing to export');
    let mask: MaskImage | null = null;
    if (request.maskFor) {
      const target = await findExportable(api, request.maskFor, memory);
      const layer = findMaskLayer(target);
      if (!layer) throw new ExportFailure(`${quoted(target.name)} has no layer named “mask” any more — add one or run without a mask`);
      const settings = pngSettings.get(target.id) ?? exportSettingsFor(boxOf(target), request.maxSide, 'PNG');
      mask = await exportMask(target, layer, settings);
      const reference = images.find((image) => image.nodeId === target.id);
      if (reference && (reference.width !== mask.width || reference.height !== mask.height)) {
        throw new ExportFailure(`The mask came out ${mask.width}×${mask.height} px but ${quoted(target.name)} is ${reference.width}×${reference.height} px`);
      }
    }
    return { ok: true, images, mask };
  } catch (error) {
    if (error instanceof ExportFailure) return { ok: false, message: error.message };
    return { ok: false, message: `Couldn't export the references: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function findExportable(api: PluginAPI, id: string, memory: GeometryMemory): Promise<Exportable> {
  const node = await api.getNodeByIdAsync(id);
  if (!node || node.removed) {
    const known = memory.get(id);
    throw new ExportFailure(`${known ? quoted(known.name) : 'A reference layer'} was deleted — select the references again`);
  }
  if (node.type === 'PAGE' || node.type === 'DOCUMENT' || !('exportAsync' in node)) {
    throw new ExportFailure(`${quoted(node.name)} can't be exported as an image — select layers on the canvas`);
  }
  return node as Exportable;
}

/** Exports one reference; a mask layer or area inside it is hidden so the model never sees it. */
async function exportReference(node: Exportable, maxSide: number): Promise<Rendered> {
  const patch = new TemporaryPatch();
  try {
    const mask = 'children' in node ? findMaskLayer(node) : null;
    // A Figma mask layer is never painted, and hiding it would unclip its siblings.
    if (mask && !('isMask' in mask && mask.isMask)) patch.set(mask, 'visible', false);
    // (issue 15) a "Framefill area" over a layer inside is the user's marking, not the picture
    for (const area of areasInside(node)) patch.set(area, 'visible', false);
    const png = await render(node, maxSide, 'PNG');
    if (!showsImage(node)) return png;
    // Photographic content: JPEG is usually far smaller, which keeps uploads light.
    const jpeg = await render(node, maxSide, 'JPG', png.settings.constraint);
    return smaller(png, jpeg);
  } finally {
    patch.restore();
  }
}

async function render(node: Exportable, maxSide: number, format: ExportFormat, constraint?: ExportSettingsConstraints): Promise<Rendered> {
  let settings: ExportSettingsImage = constraint ? { format, constraint, useAbsoluteBounds: true } : exportSettingsFor(boxOf(node), maxSide, format);
  let rendered = await exportOnce(node, settings);
  if (Math.max(rendered.width, rendered.height) > maxSide) {
    // The box we predicted from was off (e.g. content wider than expected): constrain by what came out.
    settings = exportSettingsFor(rendered, maxSide, format);
    rendered = await exportOnce(node, settings);
  }
  return rendered;
}

async function exportOnce(node: Exportable, settings: ExportSettingsImage): Promise<Rendered> {
  let bytes: Uint8Array;
  try {
    bytes = await node.exportAsync(settings);
  } catch (error) {
    throw new ExportFailure(`Figma couldn't export ${quoted(node.name)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const info = readImageHeader(bytes);
  if (!info) throw new ExportFailure(`Figma's export of ${quoted(node.name)} could not be read`);
  return { bytes: plainBytes(bytes), format: info.format === 'jpeg' ? 'jpeg' : 'png', width: info.width, height: info.height, settings };
}

function boxOf(node: SceneNode): { width: number; height: number } {
  return pageBox(node) ?? { width: node.width, height: node.height };
}
