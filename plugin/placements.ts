// Which placed images still show on the canvas. The panel marks a result "Placed"; after an Undo
// (or the user deleting the layer, or swapping its image) it must stop saying so, and say it
// again after a Redo. Each placement is remembered by the `rid` of its `placed` reply.
import type { PluginAPI } from './figma-types';
import { fillsOf } from './node-utils';

export interface ShownImage {
  nodeId: string;
  imageHash: string;
}

export interface PlacementStatus {
  rid: string;
  shown: boolean[];
}

/** The session's placements the panel may still show; older ones drop off. */
export const TRACKED_PLACEMENTS = 100;

export function createPlacementTracker(api: PluginAPI) {
  const placements = new Map<string, ShownImage[]>();
  let reported = '';
  return {
    track(rid: string, images: ShownImage[]): void {
      placements.set(rid, images);
      while (placements.size > TRACKED_PLACEMENTS) placements.delete(placements.keys().next().value!);
      reported = ''; // the next report includes it
    },
    /** Every placement's status when any changed since the last report, else null. */
    async report(): Promise<PlacementStatus[] | null> {
      const status: PlacementStatus[] = [];
      for (const [rid, images] of placements) status.push({ rid, shown: await Promise.all(images.map((image) => stillShows(api, image))) });
      const key = JSON.stringify(status);
      if (key === reported || status.length === 0) return null;
      reported = key;
      return status;
    },
  };
}

async function stillShows(api: PluginAPI, { nodeId, imageHash }: ShownImage): Promise<boolean> {
  const node = await api.getNodeByIdAsync(nodeId);
  if (!node || node.removed) return false;
  return fillsOf(node).some((p) => p.type === 'IMAGE' && p.imageHash === imageHash && p.visible !== false);
}
