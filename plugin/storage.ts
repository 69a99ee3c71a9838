// Settings, history and pending runs in figma.clientStorage. Keys carry a schema version and
// every read is parsed with zod: a corrupted or old value falls back to defaults (logged), and
// is salvaged field by field / entry by entry so one bad field never costs the rest.
import type { ClientStorageAPI } from './figma-types';
import type * as z from 'zod/mini';
import {
  draftSchema,
  historyEntrySchema,
  pendingRunSchema,
  settingsSchema,
  type Draft,
  type HistoryEntry,
  type PendingRun,
  type Settings,
} from './messages';
import { defaultSettings } from './settings-defaults';
import { HISTORY_LIMITS, capHistory, withEntry, type HistoryLimits } from './history-budget';
import { createQueue } from './queue';
import { withPlaced } from './history-entry';
import { readPluginData } from './plugin-data';

export const STORAGE_KEYS = {
  settings: 'framefill.v1.settings',
  history: 'framefill.v1.history',
  pending: 'framefill.v1.pending',
  draft: 'framefill.v1.draft',
} as const;

export const MAX_PENDING = 50;

type Log = (message: string) => void;

export interface Store {
  loadSettings(): Promise<Settings>;
  saveSettings(settings: Settings): Promise<void>;
  loadHistory(): Promise<HistoryEntry[]>;
  addHistory(entry: HistoryEntry): Promise<HistoryEntry[]>;
  clearHistory(): Promise<HistoryEntry[]>;
  /** image `index` of entry `id` went on the canvas */
  markPlaced(id: string, index: number): Promise<HistoryEntry[]>;
  loadDraft(): Promise<Draft | undefined>;
  saveDraft(draft: Draft): Promise<void>;
  loadPending(): Promise<PendingRun[]>;
  addPending(run: PendingRun): Promise<PendingRun[]>;
  removePending(requestId: string): Promise<PendingRun[]>;
}

/** Keeps every valid field of a stored settings object; the rest come from defaults. */
export function salvageSettings(raw: unknown, log: Log): Settings {
  const defaults = defaultSettings();
  if (raw === undefined) return defaults;
  // Settings stored by an earlier version lack the fields added since: defaults fill them quietly.
  const whole = settingsSchema.safeParse(raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...defaults, ...raw } : raw);
  if (whole.success) return whole.data;
  log(`stored settings are invalid (${whole.error.issues.length} issue(s)); keeping the valid fields and defaults for the rest`);
  if (!raw || typeof raw !== 'object') return defaults;
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, schema] of Object.entries(settingsSchema.shape)) {
    const field = (schema as z.ZodMiniType).safeParse((raw as Record<string, unknown>)[key]);
    if (field.success) out[key] = field.data;
  }
  return settingsSchema.parse(out);
}

/**
 * A list kept as JSON in a node's pluginData (the document root's: every teammate opening the file
 * shares it), salvaged entry by entry as salvageList does; unreadable JSON reads as empty.
 */
export function readPluginDataList<T>(node: { getPluginData(key: string): string }, key: string, schema: z.ZodMiniType<T>, what: string, log: Log): T[] {
  const raw = readPluginData(node, key);
  if (!raw) return [];
  try {
    return salvageList(JSON.parse(raw), schema, what, log);
  } catch {
    log(`stored ${what} are not valid JSON; showing none`);
    return [];
  }
}

/** Parses a stored list entry by entry, dropping (and logging) the ones that no longer fit. */
export function salvageList<T>(raw: unknown, schema: z.ZodMiniType<T>, what: string, log: Log): T[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    log(`stored ${what} is not a list; starting empty`);
    return [];
  }
  const out: T[] = [];
  let dropped = 0;
  for (const item of raw) {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
    else dropped++;
  }
  if (dropped) log(`dropped ${dropped} invalid stored ${what} item(s)`);
  return out;
}

export function createStore(storage: ClientStorageAPI, log: Log, limits: HistoryLimits = HISTORY_LIMITS): Store {
  // Read-modify-write must not interleave (two quick add-history messages would lose one).
  const serial = createQueue();

  async function read(key: string): Promise<unknown> {
    try {
      return await storage.getAsync(key);
    } catch (error) {
      log(`could not read ${key}: ${message(error)}`);
      return undefined;
    }
  }

  async function write(key: string, value: unknown): Promise<boolean> {
    try {
      await storage.setAsync(key, value);
      return true;
    } catch (error) {
      log(`could not save ${key}: ${message(error)}`);
      return false;
    }
  }

  // Entries saved by earlier versions (one placed image, no `images`) load as they are: readers go through historyImages().
  const loadHistory = async () => capHistory(salvageList(await read(STORAGE_KEYS.history), historyEntrySchema, 'history', log), limits).entries;
  const loadPending = async () => salvageList(await read(STORAGE_KEYS.pending), pendingRunSchema, 'pending runs', log);

  async function saveHistory(history: HistoryEntry[]): Promise<HistoryEntry[]> {
    if (await write(STORAGE_KEYS.history, history)) return history;
    // Over quota (other keys grew): keep the newer half rather than nothing.
    const half = history.slice(0, Math.floor(history.length / 2));
    if (await write(STORAGE_KEYS.history, half)) return half;
    return loadHistory();
  }

  return {
    loadSettings: () => serial(async () => salvageSettings(await read(STORAGE_KEYS.settings), log)),
    saveSettings: (settings) => serial(async () => void (await write(STORAGE_KEYS.settings, settings))),
    loadHistory: () => serial(loadHistory),
    addHistory: (entry) =>
      serial(async () => {
        const capped = withEntry(await loadHistory(), entry, limits);
        if (capped.evicted) log(`history: evicted ${capped.evicted} oldest entr${capped.evicted === 1 ? 'y' : 'ies'} to stay within budget`);
        if (capped.strippedThumbnails) log(`history: dropped ${capped.strippedThumbnails} oversized thumbnail(s)`);
        return saveHistory(capped.entries);
      }),
    clearHistory: () =>
      serial(async () => {
        await write(STORAGE_KEYS.history, []);
        return [];
      }),
    markPlaced: (id, index) =>
      serial(async () => {
        const history = await loadHistory();
        const entry = history.find((e) => e.id === id);
        const next = entry && withPlaced(entry, index);
        if (!entry || next === entry) return history;
        return saveHistory(history.map((e) => (e === entry ? next! : e)));
      }),
    loadDraft: () =>
      serial(async () => {
        const raw = await read(STORAGE_KEYS.draft);
        if (raw === undefined) return undefined;
        const parsed = draftSchema.safeParse(raw);
        if (parsed.success) return parsed.data;
        // A choice it can't read is left at its default: the prompt written still comes back.
        const promptOnly = draftSchema.safeParse({ prompt: typeof raw === 'object' && raw !== null ? (raw as { prompt?: unknown }).prompt : undefined });
        log(promptOnly.success ? "stored draft's choices are invalid; keeping its prompt" : 'stored draft is invalid; starting with an empty prompt');
        return promptOnly.success ? promptOnly.data : undefined;
      }),
    saveDraft: (draft) => serial(async () => void (await write(STORAGE_KEYS.draft, draft))),
    loadPending: () => serial(loadPending),
    addPending: (run) =>
      serial(async () => {
        const next = [...(await loadPending()).filter((p) => p.requestId !== run.requestId), run]
          .sort((a, b) => a.startedAt - b.startedAt)
          .slice(-MAX_PENDING); // oldest go first
        await write(STORAGE_KEYS.pending, next);
        return next;
      }),
    removePending: (requestId) =>
      serial(async () => {
        const next = (await loadPending()).filter((p) => p.requestId !== requestId);
        await write(STORAGE_KEYS.pending, next);
        return next;
      }),
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
