// Provenance on placed nodes: how the image was made (pluginData "framefill") and a
// "Regenerate" relaunch button, which reopens the panel prefilled from it.
import type { BaseNode, SceneNode } from './figma-types';
import { provenanceSchema, type Prefill, type Provenance } from './messages';
import { oneLine } from '../common/text';

export const PROVENANCE_KEY = 'framefill';
export const RELAUNCH_COMMAND = 'regenerate';

export function relaunchDescription(prompt: string): string {
  return `Regenerate with Framefill: ${oneLine(prompt, 40)}`;
}

export function writeProvenance(node: SceneNode, provenance: Provenance): void {
  node.setPluginData(PROVENANCE_KEY, JSON.stringify(provenance));
  node.setRelaunchData({ [RELAUNCH_COMMAND]: relaunchDescription(provenance.prompt) });
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

/** The Regenerate button: the first selected node that carries provenance, not run yet. */
export function prefillFromNodes(nodes: readonly BaseNode[]): Prefill | null {
  for (const node of nodes) {
    const provenance = readProvenance(node);
    if (provenance) {
      const { prompt, tier, size, model, transparent } = provenance;
      return { prompt, tier, size, ...(model ? { model } : {}), ...(transparent ? { transparent } : {}), autoRun: false };
    }
  }
  return null;
}
