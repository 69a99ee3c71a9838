// Overnight batches (issue 16) in the sandbox. The scheduled batches live in the document (root
// pluginData): the file is where their results go, so whoever opens it next with the token that
// scheduled them places them. Which items were already placed lives in clientStorage instead:
// Figma's Undo reverts document changes, pluginData included, so a marker kept in the file could be
// undone and the next open would place (and show) the image again; clientStorage is outside the
// undo history.
//
// The same Undo could take a batch's record out of the file right after scheduling, while the
// batch runs (and is paid for) upstream. So each scheduled batch is mirrored in clientStorage
// under the file's anchor id (root pluginData `framefill.file-id`, written once, in an undo step
// of its own before the first record), and reconcile() writes back any mirrored batch the file
// lost, and the anchor itself when a second Undo took that too while Framefill was open (the
// sandbox remembers it; an anchor undone after the panel closed loses the link: a known gap). A
// batch the file let go of on purpose (placed, failed, cancelled) is listed in the file as done —
// in the same write that drops it, so one Undo brings back both or neither — and is never written
// back, also not from a teammate's mirror.
import * as z from 'zod/mini';
import type { ClientStorageAPI, PluginAPI, SceneNode } from './figma-types';
import { scheduledBatchSchema, type ScheduledBatch, type ScheduledPlace } from './messages';
import { pageBox, pageGeometry } from './geometry';
import { readPluginDataList, salvageList } from './storage';
import { createQueue } from './queue';
import { writePluginData } from './plugin-data';

const mirrorEntrySchema = z.object({ file: z.string(), batch: scheduledBatchSchema });
type MirrorEntry = z.infer<typeof mirrorEntrySchema>;

export const SCHEDULED_KEY = 'framefill.overnight';
/** root pluginData: this file's anchor id, the key of its batches' mirror */
export const FILE_ID_KEY = 'framefill.file-id';
/** root pluginData: ids of batches the file dropped on purpose (never restored from a mirror) */
export const DONE_KEY = 'framefill.overnight-done';
/** clientStorage: scheduled batches outside the undo history, as [{ file, batch }], oldest first */
export const MIRROR_KEY = 'framefill.v1.overnight-mirror';
/** Done batch ids kept (oldest go first). */
const MAX_DONE = 500;
export const PLACED_KEY = 'framefill.v1.overnight-placed';
/** Markers kept (oldest go first); far more than the items of all batches a file holds at once. */
export const MAX_PLACED_MARKERS = 5000;
/** Root pluginData (in pieces of under 100 kB, plugin-data.ts) is read whole on every open: a list this long is a runaway, not a plan. */
export const MAX_SCHEDULED_CHARS = 500_000;

type Host = {
  root: Pick<PluginAPI['root'], 'getPluginData' | 'setPluginData'>;
  clientStorage: ClientStorageAPI;
  getNodeByIdAsync: PluginAPI['getNodeByIdAsync'];
  commitUndo: PluginAPI['commitUndo'];
};
type Log = (message: string) => void;

export interface OvernightStore {
  batches(): ScheduledBatch[];
  /** records a batch (each target's current place filled in); a problem string when it can't be kept */
  add(batch: ScheduledBatch): Promise<string | undefined>;
  /** drops these items (null: the whole batch); a batch left without items goes (and is marked done) */
  drop(batchId: string, itemIds: readonly string[] | null): void;
  /** writes back into the file the batches its mirror holds and the file lost (an Undo); how many */
  reconcile(): Promise<number>;
  placed(): Promise<string[]>;
  isPlaced(itemId: string): Promise<boolean>;
  markPlaced(itemId: string, placed: boolean): Promise<void>;
}

/** What the user hears, once a session, when an Undo took a scheduled batch out of the file and it was put back. */
export const UNDO_REFUSED = "An overnight run can't be undone — it's already scheduled; cancel it from Scheduled";

/** Where a node is on its page, as an item keeps it. */
export function placeOf(node: SceneNode): ScheduledPlace | null {
  const geometry = pageGeometry(node);
  const box = pageBox(node);
  return geometry && box ? { ...geometry, box } : null;
}

export function createOvernightStore(api: Host, log: Log): OvernightStore {
  const serial = createQueue();

  const read = (): ScheduledBatch[] => readPluginDataList(api.root, SCHEDULED_KEY, scheduledBatchSchema, 'overnight batches', log);
  const write = (batches: ScheduledBatch[]) => writePluginData(api.root, SCHEDULED_KEY, batches.length ? JSON.stringify(batches) : '');
  const readDone = (): string[] => readPluginDataList(api.root, DONE_KEY, z.string(), 'done overnight batches', log);

  /** The anchor this run of Framefill wrote or read: what an Undo of its step cannot take from memory. */
  let known: string | null = null;
  /**
   * The file's anchor id as the file holds it; one an Undo took out this session is written back
   * (bookkeeping, no undo step of its own), so the mirror keyed by it still finds its batches.
   */
  const currentAnchor = (): string | null => {
    const existing = api.root.getPluginData(FILE_ID_KEY);
    if (existing) return (known = existing);
    if (known) api.root.setPluginData(FILE_ID_KEY, known);
    return known;
  };

  /** The file's anchor id, written (in an undo step of its own) the first time a batch is kept. */
  const anchor = (): string => {
    const existing = currentAnchor();
    if (existing) return existing;
    const id = `file-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
    api.root.setPluginData(FILE_ID_KEY, id);
    known = id;
    // An Undo right after scheduling takes the record, never the anchor that finds its mirror.
    api.commitUndo();
    return id;
  };

  const readPlaced = async (): Promise<string[]> => {
    const raw: unknown = await api.clientStorage.getAsync(PLACED_KEY).catch(() => undefined);
    return Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
  };
  const readMirror = async (): Promise<MirrorEntry[]> => salvageList(await api.clientStorage.getAsync(MIRROR_KEY).catch(() => undefined), mirrorEntrySchema, 'mirrored overnight batches', log);
  /** Changes the mirror (serially); bounded like the file's list, the oldest going first. */
  const changeMirror = (edit: (entries: MirrorEntry[]) => MirrorEntry[]) =>
    serial(async () => {
      const next = edit(await readMirror());
      while (next.length > 0 && JSON.stringify(next).length > MAX_SCHEDULED_CHARS) next.shift();
      await api.clientStorage.setAsync(MIRROR_KEY, next);
    }).catch((error: unknown) => log(`couldn't update the overnight mirror: ${error instanceof Error ? error.message : String(error)}`));

  return {
    batches: read,
    add: async (batch) => {
      const items = await Promise.all(
        batch.items.map(async (item) => {
          const node = item.targetId ? await api.getNodeByIdAsync(item.targetId) : null;
          return { ...item, place: node && !node.removed && node.type !== 'PAGE' && node.type !== 'DOCUMENT' ? placeOf(node as SceneNode) : item.place };
        }),
      );
      const kept = { ...batch, items };
      const next = [...read().filter((b) => b.id !== batch.id), kept];
      if (JSON.stringify(next).length > MAX_SCHEDULED_CHARS) return 'This file already holds too many overnight images waiting — their results stay on the backend for 7 days.';
      const file = anchor();
      write(next);
      await changeMirror((entries) => [...entries.filter((e) => e.batch.id !== batch.id), { file, batch: kept }]);
      return undefined;
    },
    drop(batchId, itemIds) {
      const ids = itemIds && new Set(itemIds);
      const next = read()
        .map((b) => (b.id !== batchId ? b : ids ? { ...b, items: b.items.filter((i) => !ids.has(i.id)) } : { ...b, items: [] }))
        .filter((b) => b.items.length > 0);
      const gone = !next.some((b) => b.id === batchId);
      write(next);
      if (gone) writePluginData(api.root, DONE_KEY, JSON.stringify([...readDone().filter((id) => id !== batchId), batchId].slice(-MAX_DONE)));
      void changeMirror((entries) =>
        gone ? entries.filter((e) => e.batch.id !== batchId) : entries.map((e) => (e.batch.id === batchId && ids ? { ...e, batch: { ...e.batch, items: e.batch.items.filter((i) => !ids.has(i.id)) } } : e)),
      );
    },
    reconcile: async () => {
      const file = currentAnchor();
      if (!file) return 0;
      const current = read();
      const done = new Set(readDone());
      const mine = (await readMirror()).filter((e) => e.file === file);
      const lost = mine.filter((e) => !done.has(e.batch.id) && !current.some((b) => b.id === e.batch.id)).map((e) => e.batch);
      const finished = mine.filter((e) => done.has(e.batch.id));
      if (finished.length) await changeMirror((entries) => entries.filter((e) => !(e.file === file && done.has(e.batch.id))));
      if (lost.length === 0) return 0;
      // Bookkeeping, not an edit of the user's: no undo step of its own.
      write([...current, ...lost]);
      return lost.length;
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
