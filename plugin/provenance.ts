// Provenance on placed nodes: how the image was made (pluginData "framefill"), which image fill
// is Framefill's ("framefill-fill"), and a "Regenerate" relaunch button, which reopens the panel
// prefilled from it and runs it again.
import type { BaseNode, SceneNode } from './figma-types';
import { provenanceSchema, type Prefill, type Provenance } from './messages';
import { fillsOf, hasVisibleImageFill, hasVisibleLayersInside } from './node-utils';
import { oneLine } from '../common/text';

export const PROVENANCE_KEY = 'framefill';
/** the image hash of the IMAGE fill Framefill put on the node */
export const FILL_KEY = 'framefill-fill';
export const RELAUNCH_COMMAND = 'regenerate';
/** (issue 15) the edit tools' relaunch buttons on Framefill images (manifest relaunchButtons) */
export const TOOL_COMMANDS = { expand: 'Expand to frame', upscale: 'Upscale 2×' } as const;
export type ToolCommand = keyof typeof TOOL_COMMANDS;
export const isToolCommand = (command: string): command is ToolCommand => command === 'expand' || command === 'upscale';

export function markFramefillFill(node: SceneNode, imageHash: string): void {
  node.setPluginData(FILL_KEY, imageHash);
}

/**
 * The hash of the Framefill image when that image is all the node shows (no visible layers inside,
 * every visible image fill is Framefill's): running again replaces it instead of restyling it.
 * Null when the user added content, swapped the image, or it never was Framefill's.
 */
export function framefillFillHash(node: SceneNode): string | null {
  const hash = node.getPluginData(FILL_KEY);
  if (!hash || hasVisibleLayersInside(node)) return null;
  const images = fillsOf(node).filter((p) => (p.type === 'IMAGE' || p.type === 'VIDEO') && p.visible !== false);
  return images.length > 0 && images.every((p) => p.type === 'IMAGE' && p.imageHash === hash) ? hash : null;
}

export function relaunchDescription(prompt: string): string {
  return `Regenerate with Framefill: ${oneLine(prompt, 40)}`;
}

export function writeProvenance(node: SceneNode, provenance: Provenance): void {
  node.setPluginData(PROVENANCE_KEY, JSON.stringify(provenance));
  node.setRelaunchData({ [RELAUNCH_COMMAND]: relaunchDescription(provenance.prompt), ...TOOL_COMMANDS });
}

export function readProvenance(node: BaseNode): Provenance | null {
  const raw = node.getPluginData(PROVENANCE_KEY);
  if (!raw) return null;
  try {
    const parsed = provenanceSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The Regenerate button: the first selected node that carries provenance. It runs at once (the
 * button says Regenerate) with the recorded prompt, model, tier and size: a fresh generation that
 * replaces the Framefill image in place.
 */
export function prefillFromNodes(nodes: readonly BaseNode[]): Prefill | null {
  for (const node of nodes) {
    const provenance = readProvenance(node);
    if (provenance) {
      const { prompt, tier, size, model, transparent } = provenance;
      return { prompt, tier, size, ...(model ? { model } : {}), ...(transparent ? { transparent } : {}), autoRun: true };
    }
  }
  return null;
}

/**
 * (issue 15) "Expand to frame" / "Upscale 2×": the panel opens on that tool, prompt and settings
 * from the node's provenance (an image without provenance opens with an empty prompt). Never
 * runs at once: the estimate shows first.
 */
export function toolPrefillFromNodes(nodes: readonly BaseNode[], tool: ToolCommand): Prefill | null {
  for (const node of nodes) {
    const provenance = readProvenance(node);
    if (provenance) {
      const { prompt, tier, size, model } = provenance;
      return { prompt, tier, size, ...(model ? { model } : {}), tool, autoRun: false };
    }
  }
  return nodes.some((node) => hasVisibleImageFill(node)) ? { prompt: '', tool, autoRun: false } : null;
}
