// Overnight batches (issue 16) in the sandbox. The scheduled batches live in the document (root
// pluginData): the file is where their results go, so whoever opens it next with the token that
// scheduled them places them. Which items were already placed lives in clientStorage instead:
// Figma's Undo reverts document changes, pluginData included, so a marker kept in the file could be
// undone and the next open would place (and show) the image again; clientStorage is outside the
// undo history.
import type { ClientStorageAPI, PluginAPI, SceneNode } from './figma-types';
import { scheduledBatchSchema, type ScheduledBatch, type ScheduledPlace } from './messages';
import { pageBox, pageGeometry } from './geometry';
import { readPluginDataList } from './storage';
import { createQueue } from './queue';

export const SCHEDULED_KEY = 'framefill.overnight';
export const PLACED_KEY = 'framefill.v1.overnight-placed';
/** Markers kept (oldest go first); far more than the items of all batches a file holds at once. */
export const MAX_PLACED_MARKERS = 5000;
/** Root pluginData is read whole on every open: a list this long is a runaway, not a plan. */
export const MAX_SCHEDULED_CHARS = 500_000;

type Host = { root: Pick<PluginAPI['root'], 'getPluginData' | 'setPluginData'>; clientStorage: ClientStorageAPI; getNodeByIdAsync: PluginAPI['getNodeByIdAsync'] };
type Log = (message: string) => void;

export interface OvernightStore {
  batches(): ScheduledBatch[];
  /** records a batch (each target's current place filled in); a problem string when it can't be kept */
  add(batch: ScheduledBatch): Promise<string | undefined>;
  /** drops these items (null: the whole batch); a batch left without items goes */
  drop(batchId: string, itemIds: readonly string[] | null): void;
  placed(): Promise<string[]>;
  isPlaced(itemId: string): Promise<boolean>;
  markPlaced(itemId: string, placed: boolean): Promise<void>;
}

/** Where a node is on its page, as an item keeps it. */
export function placeOf(node: SceneNode): ScheduledPlace | null {
  const geometry = pageGeometry(node);
  const box = pageBox(node);
  return geometry && box ? { ...geometry, box } : null;
}

export function createOvernightStore(api: Host, log: Log): OvernightStore {
  const serial = createQueue();

  const read = (): ScheduledBatch[] => readPluginDataList(api.root, SCHEDULED_KEY, scheduledBatchSchema, 'overnight batches', log);
  const write = (batches: ScheduledBatch[]) => api.root.setPluginData(SCHEDULED_KEY, batches.length ? JSON.stringify(batches) : '');

  const readPlaced = async (): Promise<string[]> => {
    const raw: unknown = await api.clientStorage.getAsync(PLACED_KEY).catch(() => undefined);
    return Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
  };

  return {
    batches: read,
    add: async (batch) => {
      const items = await Promise.all(
        batch.items.map(async (item) => {
          const node = item.targetId ? await api.getNodeByIdAsync(item.targetId) : null;
          return { ...item, place: node && !node.removed && node.type !== 'PAGE' && node.type !== 'DOCUMENT' ? placeOf(node as SceneNode) : item.place };
        }),
      );
      const next = [...read().filter((b) => b.id !== batch.id), { ...batch, items }];
      if (JSON.stringify(next).length > MAX_SCHEDULED_CHARS) return 'This file already holds too many overnight images waiting — their results stay on the backend for 7 days.';
      write(next);
      return undefined;
    },
    drop(batchId, itemIds) {
      const ids = itemIds && new Set(itemIds);
      const next = read()
        .map((b) => (b.id !== batchId ? b : ids ? { ...b, items: b.items.filter((i) => !ids.has(i.id)) } : { ...b, items: [] }))
        .filter((b) => b.items.length > 0);
      write(next);
    },
    placed: () => serial(readPlaced),
    isPlaced: (itemId) => serial(async () => (await readPlaced()).includes(itemId)),
    markPlaced: (itemId, placed) =>
      serial(async () => {
        const rest = (await readPlaced()).filter((id) => id !== itemId);
        await api.clientStorage.setAsync(PLACED_KEY, placed ? [...rest, itemId].slice(-MAX_PLACED_MARKERS) : rest);
      }),
  };
}
