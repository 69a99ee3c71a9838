// One open panel: answers every panel message (plugin/messages.ts) and keeps the panel's view of
// the selection and of its placed results current, through selection changes and canvas edits,
// Undo and Redo. Canvas work runs one job at a time so undo steps never interleave.
import type { PluginAPI } from './figma-types';
import { createChannel, type Transport } from './events';
import { uiToSandboxSchema, type PlaceEdit, type Prefill, type Provenance, type SandboxToUi, type Selection, type UiToSandbox } from './messages';
import { createStore } from './storage';
import { GeometryMemory } from './geometry';
import { watchCanvas } from './canvas-watch';
import { createPlacementTracker } from './placements';
import { readSelection } from './selection-read';
import { blockedBy, isTargetType, quoted, type TargetNode } from './node-utils';
import { placeEdit } from './place-edit';
import { exportForEdit } from './edit-export';
import { createArea } from './area';
import { discardOriginals } from './originals';
import { exportReferences } from './export-references';
import { imageFromHash, prepareImages, type Prepared } from './incoming-images';
import { resolveAnchor } from './anchor';
import { placeImages } from './place';
import { createQueue } from './queue';
import { withImageHashes } from './history-images';
import { createKitStore, existingLayers } from './kits';
import { framefillImagesIn, framefillImagesUnder } from './framefill-images';
import { emptyLayersInside, SELECT_VISITS } from './empty-inside';
import { createOvernightStore, UNDO_REFUSED } from './overnight';

export type Log = (message: string) => void;

/** The sandbox side of postMessage, over the api we were given (not the global). */
export function uiTransport(api: PluginAPI): Transport {
  return {
    send: (message) => api.ui.postMessage(message),
    listen(handler) {
      const listener = (message: unknown) => handler(message);
      api.ui.on('message', listener);
      return () => api.ui.off('message', listener);
    },
  };
}

export interface Session {
  close(): void;
}

export function openSession(api: PluginAPI, prefill: Prefill | null, log: Log): Session {
  const channel = createChannel<UiToSandbox, SandboxToUi>(uiToSandboxSchema, uiTransport(api), log);
  const store = createStore(api.clientStorage, log);
  const kits = createKitStore(api, log); // (issue 14, kits)
  const overnight = createOvernightStore(api, log); // (issue 16)
  const memory = new GeometryMemory();
  const canvas = createQueue();
  let unsentPrefill = prefill; // a quick action runs once, not again on a panel reload

  const selection = async (): Promise<Selection> => {
    const read = await readSelection(api, api.currentPage.selection);
    for (const node of read.nodes) if (isTargetType(node)) memory.remember(node);
    return read.selection;
  };
  // Reading is async (image sizes): only the newest read is sent, so a slow one never overwrites it.
  let lastSelection = '';
  let reads = 0;
  const sendSelection = async (onlyIfChanged = false) => {
    const read = ++reads;
    const current = await selection();
    const key = JSON.stringify(current);
    if (read !== reads || (onlyIfChanged && key === lastSelection)) return;
    lastSelection = key;
    channel.emit({ type: 'selection', selection: current });
  };
  const resendSelection = () => void sendSelection().catch((error: unknown) => log(`selection update failed: ${error instanceof Error ? error.message : String(error)}`));
  const placements = createPlacementTracker(api);
  // After edits, Undo or Redo: the targets' sizes and emptiness, and which results still show.
  const onCanvasChange = async () => {
    await sendSelection(true);
    const status = await placements.report();
    if (status) channel.emit({ type: 'placements', placements: status });
  };

  /** Request handlers always answer: an unexpected error becomes a `failed` the panel can show. */
  const answer = (rid: string, what: string, job: () => Promise<SandboxToUi>) =>
    canvas(job).then(
      (reply) => channel.emit(reply),
      (error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error);
        log(`${what} failed: ${detail}`);
        channel.emit({ type: 'failed', rid, message: `Couldn't ${what}: ${detail}` });
      },
    );

  const place = async (rid: string, prepared: Prepared, targetId: string | null, mode: 'one' | 'all', name: string, provenance: Provenance, edit?: PlaceEdit, alsoInStep?: () => void): Promise<SandboxToUi> => {
    if (!prepared.ok) return { type: 'failed', rid, message: prepared.message };
    const anchor = await resolveAnchor(api, targetId, memory);
    // (issue 15) an edit tool's result: placed as its tool places, the area it used gone in the same undo step
    const area = edit?.areaId ? await api.getNodeByIdAsync(edit.areaId) : null;
    const beforeCommit = () => {
      if (area && !area.removed) area.remove();
      alsoInStep?.();
    };
    const edited = edit && anchor.kind === 'target' ? placeEdit(api, { target: anchor.node, image: prepared.images[0]!, edit, name, provenance, beforeCommit }) : null;
    const { shown, ...outcome } = edited ?? placeImages(api, { anchor, images: prepared.images, mode: edit ? 'one' : mode, name, provenance, beforeCommit });
    // The area's shape was what the user had selected: the edited image takes its place.
    if (area && anchor.kind === 'target' && api.currentPage.selection.length === 0) api.currentPage.selection = [anchor.node];
    for (const notice of outcome.notices) api.notify(notice);
    placements.track(rid, shown);
    await sendSelection(); // a filled target is no longer empty
    return { type: 'placed', rid, ...outcome };
  };

  // (issue 16) An Undo can take a scheduled batch's record out of the file while the batch runs
  // (and is paid for): it is put back from the mirror, and the user told why, once a session.
  let toldUndoRefused = false;
  const reconcileScheduled = async (): Promise<number> => {
    const restored = await overnight.reconcile();
    if (restored > 0 && !toldUndoRefused) {
      toldUndoRefused = true;
      api.notify(UNDO_REFUSED);
    }
    return restored;
  };

  /** Canvas work with no reply message: an unexpected error is logged and shown as a notice. */
  const onCanvas = (what: string, job: () => Promise<void>) =>
    canvas(job).catch((error: unknown) => {
      const detail = error instanceof Error ? error.message : String(error);
      log(`${what} failed: ${detail}`);
      api.notify(`Couldn't ${what}: ${detail}`, { error: true });
    });

  /** The target an edit tool works on, or null (with a notice) when it can't be changed now. */
  const editableTarget = async (id: string): Promise<TargetNode | null> => {
    const node = await api.getNodeByIdAsync(id);
    if (!node || node.removed || !isTargetType(node)) {
      api.notify('That layer was deleted — select it again', { error: true });
      return null;
    }
    const blocked = blockedBy(node);
    if (blocked) {
      api.notify(`${quoted(blocked.node.name)} is ${blocked.why} — ${blocked.why === 'locked' ? 'unlock' : 'show'} it first`, { error: true });
      return null;
    }
    return node;
  };

  const unsubscribers = [
    channel.on('ready', async () => {
      const [settings, history, pending, draft] = await Promise.all([store.loadSettings(), store.loadHistory(), store.loadPending(), store.loadDraft()]);
      const current = await selection();
      lastSelection = JSON.stringify(current);
      // (issue 16) the file's overnight batches (with any an Undo took out put back), and which of their items this user already placed
      await reconcileScheduled();
      const scheduled = overnight.batches();
      const itemIds = new Set(scheduled.flatMap((b) => b.items.map((i) => i.id)));
      const scheduledPlaced = (await overnight.placed()).filter((id) => itemIds.has(id));
      channel.emit({ type: 'init', settings, history, pending, ...(draft ? { draft } : {}), selection: current, prefill: unsentPrefill, scheduled, scheduledPlaced });
      unsentPrefill = null;
    }),
    channel.on('export', (m) =>
      answer(m.rid, 'export the references', async () => {
        const outcome = await exportReferences(api, m, memory, log);
        return outcome.ok ? { type: 'exported', rid: m.rid, images: outcome.images, mask: outcome.mask } : { type: 'failed', rid: m.rid, message: outcome.message };
      })),
    channel.on('place', (m) =>
      answer(m.rid, 'place the image', async () => place(m.rid, prepareImages(api, m.mode === 'one' || m.edit ? m.images.slice(0, 1) : m.images), m.targetId, m.mode, m.name, m.provenance, m.edit))),
    channel.on('place-hash', (m) =>
      answer(m.rid, 'place the image', async () => place(m.rid, await imageFromHash(api, m.imageHash), m.targetId, 'one', m.name, m.provenance))),
    channel.on('save-settings', async (m) => store.saveSettings(m.settings)),
    channel.on('add-history', async (m) => channel.emit({ type: 'history', history: await store.addHistory(withImageHashes(api, m.entry, m.images ?? [], log)) })),
    channel.on('history-placed', async (m) => channel.emit({ type: 'history', history: await store.markPlaced(m.id, m.index) })),
    channel.on('save-draft', async (m) => store.saveDraft(m.draft)),
    channel.on('clear-history', async () => channel.emit({ type: 'history', history: await store.clearHistory() })),
    channel.on('add-pending', async (m) => channel.emit({ type: 'pending', pending: await store.addPending(m.run) })),
    channel.on('remove-pending', async (m) => channel.emit({ type: 'pending', pending: await store.removePending(m.requestId) })),
    channel.on('notify', (m) => void api.notify(m.message, m.error ? { error: true } : undefined)),
    // (issue 14, kits) style kits in the document and in clientStorage
    channel.on('load-kits', async () => channel.emit({ type: 'kits', ...(await kits.load()) })),
    channel.on('save-kit', async (m) => channel.emit({ type: 'kits', ...(await kits.save(m.scope, m.kit)) })),
    channel.on('delete-kit', async (m) => channel.emit({ type: 'kits', ...(await kits.remove(m.scope, m.id)) })),
    channel.on('choose-kit', async (m) => kits.choose(m.choice)),
    channel.on('find-kit-refs', async (m) => channel.emit({ type: 'kit-refs', rid: m.rid, refs: await existingLayers(api, m.ids) })),
    // (issue 15) the edit tools: what they send upstream, Select area, Discard original
    channel.on('export-image', (m) =>
      answer(m.rid, 'export the image to edit', async () => {
        const outcome = await exportForEdit(api, m);
        return outcome.ok ? { type: 'exported', rid: m.rid, images: [outcome.image], mask: outcome.mask } : { type: 'failed', rid: m.rid, message: outcome.message };
      })),
    channel.on('create-area', (m) =>
      onCanvas('select the area', async () => {
        const target = await editableTarget(m.targetId);
        if (target) createArea(api, target);
        await sendSelection();
      })),
    channel.on('discard-originals', (m) =>
      onCanvas('discard the original', async () => {
        const target = await editableTarget(m.targetId);
        if (target && discardOriginals(target) > 0) api.commitUndo();
        await sendSelection();
      })),
    // (issue 16) overnight batches: recorded in the file, placed item by item, forgotten once reported
    channel.on('schedule-batch', (m) =>
      onCanvas('keep the overnight batch in this file', async () => {
        const problem = await overnight.add(m.batch);
        if (!problem) api.commitUndo(); // its own step: it never rides on the user's next change
        channel.emit({ type: 'scheduled', batches: overnight.batches(), placed: await overnight.placed(), ...(problem ? { problem } : {}) });
      })),
    channel.on('place-scheduled', (m) =>
      answer(m.rid, 'place the overnight image', async () => {
        // Marked before it goes on the canvas: a crash in between leaves an item unplaced, never placed twice.
        if (await overnight.isPlaced(m.itemId)) return { type: 'placed', rid: m.rid, nodeIds: [], imageHash: null, notices: [] };
        const find = () => overnight.batches().find((b) => b.id === m.batchId)?.items.find((i) => i.id === m.itemId);
        const item = find() ?? ((await reconcileScheduled()) > 0 ? find() : undefined);
        if (!item) return { type: 'failed', rid: m.rid, message: 'That overnight image is no longer scheduled in this file.' };
        if (item.targetId && item.place) {
          const { box, ...geometry } = item.place;
          memory.recall(item.targetId, { geometry, box, name: item.targetName });
        }
        await overnight.markPlaced(m.itemId, true);
        try {
          const reply = await place(m.rid, prepareImages(api, [m.image]), item.targetId, 'one', m.name, m.provenance, undefined, () => overnight.drop(m.batchId, [m.itemId]));
          if (reply.type === 'failed') await overnight.markPlaced(m.itemId, false);
          return reply;
        } catch (error) {
          await overnight.markPlaced(m.itemId, false);
          throw error;
        }
      })),
    channel.on('reconcile-scheduled', () =>
      onCanvas('check the overnight batches', async () => {
        if ((await reconcileScheduled()) > 0) channel.emit({ type: 'scheduled', batches: overnight.batches(), placed: await overnight.placed() });
      })),
    channel.on('drop-scheduled', (m) =>
      onCanvas('update the overnight batches', async () => {
        // Bookkeeping, not an edit of the user's: no undo step of its own. Should an Undo bring
        // the items back into the file, the next open drops them again (placed markers and the
        // backend's failures live outside the file).
        overnight.drop(m.batchId, m.itemIds);
        channel.emit({ type: 'scheduled', batches: overnight.batches(), placed: await overnight.placed() });
      })),
    // (issue 14, finalize) Framefill's images: those selected and those on the page; "Select
    // Framefill images on this page" selects them all first (selectionchange tells the panel).
    channel.on('framefill-images', (m) => {
      const onPage = framefillImagesUnder(api.currentPage);
      if (m.selectAll && onPage.nodes.length > 0) {
        api.currentPage.selection = onPage.nodes;
        api.viewport.scrollAndZoomIntoView(onPage.nodes);
      }
      channel.emit({ type: 'framefill-images', selected: framefillImagesIn(api.currentPage.selection), onPage: onPage.images });
    }),
    // "Select them": the placeholders inside the selected mockup become the targets. They lie
    // within what was selected, so the view stays; selectionchange tells the panel.
    channel.on('select-empty-inside', (m) => {
      const found = emptyLayersInside(api.currentPage.selection, { visits: SELECT_VISITS, found: m.max }).nodes;
      if (found.length > 0) api.currentPage.selection = found;
    }),
  ];

  api.on('selectionchange', resendSelection);
  api.on('currentpagechange', resendSelection);
  const unwatch = watchCanvas(api, () => void onCanvasChange().catch((error: unknown) => log(`canvas update failed: ${error instanceof Error ? error.message : String(error)}`)));

  const session: Session = {
    close() {
      unwatch();
      api.off('selectionchange', resendSelection);
      api.off('currentpagechange', resendSelection);
      api.off('close', session.close);
      for (const off of unsubscribers) off();
      channel.close();
    },
  };
  api.on('close', session.close);
  return session;
}
