// The batches still to follow, as one JSON list in the shared store (`batches:open`), so any
// instance's advanceBatches finds them. Changed by compare-and-set (bounded retries): the Store
// has no sets, and every implementation has compareAndSet.
import type { Store } from '../store';
import { storeKeys } from '../store/keys';

export interface BatchRef {
  name: string;
  id: string;
}

/** Attempts at a compare-and-set before giving up (each loses only to another writer's success). */
const MAX_ATTEMPTS = 20;
/** Batches followed at most; beyond this a submit is refused rather than never followed. */
export const MAX_OPEN_BATCHES = 10_000;

const refOf = (r: BatchRef) => `${r.name}/${r.id}`;

function parse(text: string | null): string[] {
  if (text === null) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

async function change(store: Store, ttlSeconds: number, edit: (refs: string[]) => string[]): Promise<void> {
  const key = storeKeys.batchesOpen();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const text = await store.read(key);
    const next = JSON.stringify(edit(parse(text)));
    if (text === null ? await store.putIfAbsent(key, next, ttlSeconds) : await store.compareAndSet(key, text, next, ttlSeconds)) return;
  }
  throw new Error('batches: the list of open batches kept changing; gave up');
}

export function addOpenBatch(store: Store, ref: BatchRef, ttlSeconds: number): Promise<void> {
  return change(store, ttlSeconds, (refs) => (refs.includes(refOf(ref)) ? refs : [...refs, refOf(ref)]));
}

export function removeOpenBatch(store: Store, ref: BatchRef, ttlSeconds: number): Promise<void> {
  return change(store, ttlSeconds, (refs) => refs.filter((r) => r !== refOf(ref)));
}

export async function openBatches(store: Store): Promise<BatchRef[]> {
  return parse(await store.read(storeKeys.batchesOpen())).slice(0, MAX_OPEN_BATCHES).flatMap((ref) => {
    const at = ref.indexOf('/');
    return at > 0 ? [{ name: ref.slice(0, at), id: ref.slice(at + 1) }] : [];
  });
}
