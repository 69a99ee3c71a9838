// Style kits (issue 14). "In this file" kits live in the document's root plugin data, so every
// teammate who opens the file with Framefill sees them; personal kits live in clientStorage.
// Both are parsed kit by kit on read: one bad kit (an older or hand-edited file) never costs the rest.
import type { ClientStorageAPI, PluginAPI } from './figma-types';
import { kitChoiceSchema, kitSchema, type Kit, type KitChoice, type KitScope } from './messages';
import { readPluginDataList, salvageList } from './storage';
import { createQueue } from './queue';
import { writePluginData } from './plugin-data';

export const KITS_KEY = 'framefill.v1.kits';
export const KIT_CHOICE_KEY = 'framefill.v1.kit-choice';
/** Kits per place: a picker longer than this stops being a choice. */
export const MAX_KITS = 40;
/** The document's kits as JSON (kept in pieces, plugin-data.ts): every teammate loads it on open, so it stays small. */
export const MAX_FILE_KITS_CHARS = 64_000;

export interface KitLists {
  file: Kit[];
  personal: Kit[];
  /** why the last save or delete didn't happen, for the user */
  problem?: string;
  /** the kit in use when the panel was last open (load only) */
  choice?: KitChoice | null;
}

export interface KitStore {
  load(): Promise<KitLists>;
  save(scope: KitScope, kit: Kit): Promise<KitLists>;
  remove(scope: KitScope, id: string): Promise<KitLists>;
  choose(choice: KitChoice | null): Promise<void>;
}

type Log = (message: string) => void;
type KitHost = { root: Pick<PluginAPI['root'], 'getPluginData' | 'setPluginData'>; clientStorage: ClientStorageAPI };

/** A kit of that name (any case) or id in the list is replaced: saving "Studio" again updates it. */
export function withKit(kits: readonly Kit[], kit: Kit): Kit[] {
  const same = (k: Kit) => k.id === kit.id || k.name.trim().toLowerCase() === kit.name.trim().toLowerCase();
  const at = kits.findIndex(same);
  if (at < 0) return [...kits, kit];
  return kits.map((k, i) => (i === at ? kit : k)).filter((k, i) => i === at || !same(k));
}

/** Why a list can't be stored, or null. */
export function kitsProblem(scope: KitScope, kits: readonly Kit[]): string | null {
  if (kits.length > MAX_KITS) return `${scope === 'file' ? 'This file' : 'Your personal list'} already holds ${MAX_KITS} kits — delete one first.`;
  if (scope === 'file' && JSON.stringify(kits).length > MAX_FILE_KITS_CHARS) return 'The kits in this file are too large to store — shorten a suffix or delete a kit.';
  return null;
}

export function createKitStore(api: KitHost, log: Log): KitStore {
  const serial = createQueue();

  const readFile = (): Kit[] => readPluginDataList(api.root, KITS_KEY, kitSchema, 'file kits', log);
  const readPersonal = async (): Promise<Kit[]> => {
    try {
      return salvageList(await api.clientStorage.getAsync(KITS_KEY), kitSchema, 'personal kits', log);
    } catch (error) {
      log(`could not read personal kits: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  };
  const read = async (scope: KitScope) => (scope === 'file' ? readFile() : readPersonal());
  const lists = async (problem?: string): Promise<KitLists> => ({ file: readFile(), personal: await readPersonal(), ...(problem ? { problem } : {}) });

  const write = async (scope: KitScope, kits: Kit[]): Promise<string | undefined> => {
    const problem = kitsProblem(scope, kits);
    if (problem) return problem;
    try {
      if (scope === 'file') writePluginData(api.root, KITS_KEY, kits.length ? JSON.stringify(kits) : '');
      else await api.clientStorage.setAsync(KITS_KEY, kits);
      return undefined;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      log(`could not save ${scope} kits: ${detail}`);
      return `Couldn't save the kit: ${detail}`;
    }
  };

  const readChoice = async (): Promise<KitChoice | null> => {
    const parsed = kitChoiceSchema.safeParse(await api.clientStorage.getAsync(KIT_CHOICE_KEY).catch(() => undefined));
    return parsed.success ? parsed.data : null;
  };

  return {
    load: () => serial(async () => ({ ...(await lists()), choice: await readChoice() })),
    save: (scope, kit) => serial(async () => lists(await write(scope, withKit(await read(scope), kit)))),
    remove: (scope, id) => serial(async () => lists(await write(scope, (await read(scope)).filter((k) => k.id !== id)))),
    choose: (choice) =>
      serial(async () => {
        await api.clientStorage.setAsync(KIT_CHOICE_KEY, choice).catch((error: unknown) => log(`could not remember the kit in use: ${error instanceof Error ? error.message : String(error)}`));
      }),
  };
}

/** The layers among `ids` that still exist in the document, with their current names. */
export async function existingLayers(api: Pick<PluginAPI, 'getNodeByIdAsync'>, ids: readonly string[]): Promise<{ id: string; name: string }[]> {
  const found: { id: string; name: string }[] = [];
  for (const id of ids) {
    const node = await api.getNodeByIdAsync(id);
    if (node && !node.removed && node.type !== 'PAGE' && node.type !== 'DOCUMENT') found.push({ id, name: node.name });
  }
  return found;
}
