// The contract between the sandbox (owner) and the panel. Every message crossing
// postMessage is parsed with these schemas on arrival; binary data crosses as Uint8Array
// (structured clone), never as number arrays or JSON.
// zod/mini (functional API, tree-shakable): both bundles carry these schemas, and classic zod
// would add ~100 KB to each; the checks and accepted inputs are the same.
import * as z from 'zod/mini';

export const tierSchema = z.enum(['low', 'medium', 'high', 'xhigh', 'max']);
export const sizeModeSchema = z.enum(['auto', '1:1', '3:2', '2:3', '4:3', '3:4', '5:4', '4:5', '16:9', '9:16', 'custom']);
const bytes = z.instanceof(Uint8Array);
/** A string of at most `max` characters (and at least `min`). */
const text = (max: number, min = 0) => z.string().check(...(min ? [z.minLength(min)] : []), z.maxLength(max));
/** An integer (safe-integer range) from `min` to `max`. */
const int = (min: number, max: number) => z.number().check(z.int(), z.minimum(min), z.maximum(max));
const count = z.number().check(z.int(), z.nonnegative());
const nonnegative = z.number().check(z.nonnegative());
const positiveInt = z.number().check(z.int(), z.positive());
const id = text(200, 1);
/** Correlates a panel request with the sandbox's reply. */
const rid = text(100, 1);
const prompt = text(32000);
const size = text(20);
/** a model id as the backend names it, e.g. "gpt-image-2.5-flare" (the sandbox doesn't judge which) */
const model = text(100, 1);

// ---------- shared shapes ----------

/**
 * (issue 15) The edit tools on a selected image: expand it to its frame's shape (outpaint), change
 * a painted area, cut the subject out on a transparent background, re-render it at 2×.
 */
export const editToolSchema = z.enum(['expand', 'area', 'cutout', 'upscale']);
export type EditTool = z.infer<typeof editToolSchema>;

const transformRow = z.tuple([z.number(), z.number(), z.number()]);

/** (issue 15) The image a target shows: its topmost visible IMAGE fill, for the edit tools. */
export const imageFillSchema = z.object({
  hash: text(200, 1),
  /** the image's own pixel size (Image.getSizeAsync) */
  width: positiveInt,
  height: positiveInt,
  scaleMode: z.enum(['FILL', 'FIT', 'CROP', 'TILE']),
  /** CROP only: Figma's imageTransform (the layer's unit square → the image's unit square) */
  transform: z.optional(z.tuple([transformRow, transformRow])),
  /** Framefill made it (the node's provenance names this image) */
  framefill: z.boolean(),
  /** the recorded prompt, when Framefill made it */
  prompt: z.optional(prompt),
  /** earlier images kept as hidden fills under it by the edit tools (the original is never destroyed) */
  originals: count,
});
export type ImageFill = z.infer<typeof imageFillSchema>;

/**
 * (issue 15) How an edit tool's result goes on the canvas. expand, area, upscale: it replaces the
 * image `parentHash` in its fill (the old one stays as a hidden fill just below it, the
 * original); cutout: a new layer right above the target. `areaId`: the area layer, removed in the
 * same undo step (Undo brings it back).
 */
export const placeEditSchema = z.object({
  tool: editToolSchema,
  parentHash: z.nullable(text(200)),
  areaId: z.nullable(id),
});
export type PlaceEdit = z.infer<typeof placeEditSchema>;

export const settingsSchema = z.object({
  backendUrl: text(2000),
  accessToken: text(4000),
  tier: tierSchema,
  sizeMode: sizeModeSchema,
  customWidth: int(16, 3840),
  customHeight: int(16, 3840),
  hd: z.boolean(),
  variations: int(1, 4),
  model,
  /** ask for a transparent background (PNG) where the model allows it */
  transparent: z.boolean(),
  /** (issue 14) a run estimated above this many dollars asks once before it starts */
  confirmAboveUsd: z.number().check(z.nonnegative(), z.maximum(1000)),
});
export type Settings = z.infer<typeof settingsSchema>;

/** A selected node that can receive a result. */
export const targetSchema = z.object({
  id,
  name: z.string(),
  type: z.string(),
  width: nonnegative,
  height: nonnegative,
  /** no visible children and no image fill: filled by generation; otherwise restyled by an edit */
  empty: z.boolean(),
  /** id of a child layer named "mask" (or a mask layer) that becomes the edit mask */
  maskId: z.nullable(id),
  /** (issue 13) all it shows is a Framefill image: `empty`, a run replaces it; the panel offers restyling it instead */
  framefillImage: z.optional(z.boolean()),
  // (issue 14, fields) what the prompt's {text} and {parent} fields read; absent when there is none
  /** the texts it belongs with (its own, else its card's), most prominent first */
  texts: z.optional(z.array(text(200)).check(z.maxLength(8))),
  /** the container those texts came from (else its parent) */
  parentName: z.optional(text(200)),
  /** (issue 15) the image it shows, when it has an image fill */
  image: z.optional(imageFillSchema),
  /** (issue 15) its "Framefill area" layer (made by Select area): what an area edit changes */
  areaId: z.optional(id),
});
export type Target = z.infer<typeof targetSchema>;

export const skippedSchema = z.object({
  id,
  name: z.string(),
  type: z.string(),
  /** shown to the user as is, e.g. "Groups can't hold an image fill — select a frame inside" */
  reason: z.string(),
});
export type Skipped = z.infer<typeof skippedSchema>;

export const selectionSchema = z.object({
  targets: z.array(targetSchema),
  skipped: z.array(skippedSchema),
  /** empty frames and shapes inside the selected layers (a mockup's placeholders); absent when none; `more`: counting stopped before the end */
  emptyInside: z.optional(z.object({ frames: count, shapes: count, more: z.optional(z.boolean()) })),
});
export type Selection = z.infer<typeof selectionSchema>;

/** What is recorded on every placed node (pluginData "framefill") and in history. */
export const provenanceSchema = z.object({
  prompt,
  tier: tierSchema,
  /** the size requested from the model, e.g. "1536x1024" */
  size,
  model: text(100),
  costUsd: nonnegative,
  createdAt: count,
  referenceIds: z.array(id).check(z.maxLength(16)),
  requestId: text(100),
  /** made with a transparent background (absent: opaque, as before the model picker) */
  transparent: z.optional(z.boolean()),
  /** (issue 15) made by an edit tool from the image `parentImageHash` */
  action: z.optional(editToolSchema),
  parentImageHash: z.optional(text(200)),
});
export type Provenance = z.infer<typeof provenanceSchema>;

/** One paid image of a history entry (an entry holds every variation its run delivered). */
export const historyImageSchema = z.object({
  /** Figma image hash (figma.createImage when delivered), so placing it needs no new request */
  imageHash: z.nullable(text(200)),
  /** small JPEG thumbnail */
  thumbnail: z.nullable(bytes),
  /** placed on the canvas at least once */
  placed: z.boolean(),
});
export type HistoryImage = z.infer<typeof historyImageSchema>;

/** Images one History entry keeps (a run may make more: `made` counts them). */
export const HISTORY_IMAGES = 10;

export const historyEntrySchema = z.object({
  id: text(100),
  prompt,
  tier: tierSchema,
  size,
  model: text(100),
  variations: int(1, 10),
  costUsd: nonnegative,
  createdAt: count,
  nodeIds: z.array(z.string()).check(z.maxLength(64)),
  /** Figma image hash of the placed image, so "place again" needs no new request */
  imageHash: z.nullable(text(200)),
  /** small JPEG thumbnail (≤ ~8 KB) */
  thumbnail: z.nullable(bytes),
  /** made with a transparent background (absent: opaque) */
  transparent: z.optional(z.boolean()),
  /**
   * every image the run delivered (and was billed for), placed or not; costUsd is then the whole
   * run's cost. Absent in entries saved before issue 13: one placed image (imageHash, thumbnail).
   */
  images: z.optional(z.array(historyImageSchema).check(z.maxLength(HISTORY_IMAGES))),
  /** the run's Idempotency-Key: one entry per paid request */
  requestId: z.optional(rid),
  /** (issue 16) an overnight run: `images` are its items' results, `costUsd` what its batches were charged */
  overnight: z.optional(z.boolean()),
  /** (issue 16) images the run made, when more than the 10 `images` keeps (an overnight run of many frames) */
  made: z.optional(int(1, 100_000)),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** A run whose results are not placed yet; survives closing the panel. */
export const pendingRunSchema = z.object({
  /** the Idempotency-Key sent to the backend; GET /v1/results/{requestId} fetches it later */
  requestId: rid,
  kind: z.enum(['generate', 'edit']),
  targetId: z.nullable(id),
  targetName: z.string(),
  /** the target's container (its card), shown beside its name; absent for a top-level frame */
  targetContext: z.optional(text(200)),
  /** (issue 14, look) the frame whose image set this run's look: a retry after reopening sends it again */
  lookFrom: z.optional(id),
  prompt,
  tier: tierSchema,
  size,
  variations: int(1, 10),
  referenceIds: z.array(id).check(z.maxLength(16)),
  startedAt: count,
  /** absent in runs stored before the model picker: gpt-image-2 */
  model: z.optional(model),
  /** asked for a transparent background (PNG) */
  transparent: z.optional(z.boolean()),
  /** (issue 15) an edit tool's run, placed as that tool places (see `placeEditSchema`) */
  edit: z.optional(placeEditSchema),
});
export type PendingRun = z.infer<typeof pendingRunSchema>;

/** (issue 16) when a run's images are made: now, or overnight at the batch price */
export const whenSchema = z.enum(['now', 'overnight']);
export type When = z.infer<typeof whenSchema>;

/**
 * What the user was writing when the panel closed, and the form's choices that aren't settings;
 * it comes back with the panel. The choices are absent in drafts saved before they were kept.
 */
export const draftSchema = z.object({
  prompt,
  /** (issue 14) Lock the look */
  lockLook: z.optional(z.boolean()),
  /** (issue 16) the When choice beside Run */
  when: z.optional(whenSchema),
  /**
   * (issue 16) an overnight scheduling that got no answer: a Run of the same plan (same signature)
   * goes again under its key and item ids, also after the panel was closed, so a batch the backend
   * did make is answered again, never made and charged twice
   */
  overnightRetry: z.optional(z.object({ signature: text(64, 1), key: text(100, 1), ids: z.array(text(100, 1)).check(z.maxLength(500)) })),
});
export type Draft = z.infer<typeof draftSchema>;

/** Opening the panel from a node's "Regenerate" button or from a quick action. */
export const prefillSchema = z.object({
  prompt,
  tier: z.optional(tierSchema),
  size: z.optional(size),
  model: z.optional(model),
  transparent: z.optional(z.boolean()),
  /** quick actions start the run at once */
  autoRun: z.boolean(),
  /** (issue 15) an edit tool's relaunch button: the panel opens on that tool (never runs at once) */
  tool: z.optional(editToolSchema),
});
export type Prefill = z.infer<typeof prefillSchema>;

export const exportedImageSchema = z.object({
  nodeId: id,
  bytes,
  format: z.enum(['png', 'jpeg']),
  width: positiveInt,
  height: positiveInt,
});
export type ExportedImage = z.infer<typeof exportedImageSchema>;

export const resultImageSchema = z.object({
  bytes,
  width: positiveInt,
  height: positiveInt,
});
export type ResultImage = z.infer<typeof resultImageSchema>;

// ---------- style kits (issue 14) ----------

/** Where a kit lives: in the document (every teammate sees it) or in this user's clientStorage. */
export const kitScopeSchema = z.enum(['file', 'personal']);
export type KitScope = z.infer<typeof kitScopeSchema>;

/** A named style: a suffix appended to the prompt, reference layers to pin, and the form's choices. */
export const kitSchema = z.object({
  id: text(100, 1),
  name: text(60, 1),
  /** camera, light and style anchors; appended after the user's subject */
  suffix: text(1000),
  /** layers pinned as references when the kit is picked (dropped when they no longer exist) */
  references: z.array(z.object({ id, name: text(200) })).check(z.maxLength(16)),
  /** absent: the kit keeps whatever model is chosen */
  model: z.optional(model),
  tier: tierSchema,
  sizeMode: sizeModeSchema,
  customWidth: z.optional(int(16, 3840)),
  customHeight: z.optional(int(16, 3840)),
});
export type Kit = z.infer<typeof kitSchema>;

export const kitRefSchema = z.object({ id, name: z.string() });

/** The kit in use, remembered (clientStorage) so its suffix still applies when the panel is opened again. */
export const kitChoiceSchema = z.object({ source: z.enum(['file', 'personal', 'default']), id: text(100, 1) });
export type KitChoice = z.infer<typeof kitChoiceSchema>;
/** (issue 14, finalize) A layer showing only Framefill's image, with how it was made. */
export const framefillImageSchema = z.object({
  id,
  name: z.string(),
  width: nonnegative,
  height: nonnegative,
  provenance: provenanceSchema,
  /** the container it sits in (not the page), as a target's parentName */
  parentName: z.optional(text(200)),
});
export type FramefillImage = z.infer<typeof framefillImageSchema>;


// ---------- overnight batches (issue 16) ----------

/** Where a target was on its page (plugin/geometry.ts PageGeometry and its box), for a target deleted meanwhile. */
export const scheduledPlaceSchema = z.object({
  pageId: id,
  x: z.number(),
  y: z.number(),
  width: nonnegative,
  height: nonnegative,
  rotation: z.number(),
  box: z.object({ x: z.number(), y: z.number(), width: nonnegative, height: nonnegative }),
});
export type ScheduledPlace = z.infer<typeof scheduledPlaceSchema>;

/** One image request of an overnight batch, as the file keeps it until its result is placed. */
export const scheduledItemSchema = z.object({
  /** the idempotency id: GET /v1/results/{id} fetches its result once the batch is done */
  id: rid,
  kind: z.enum(['generate', 'edit']),
  /** null: a new image at the viewport centre */
  targetId: z.nullable(id),
  targetName: text(200),
  /** the target's place when last seen (the sandbox fills it in); null for a new image */
  place: z.nullable(scheduledPlaceSchema),
  // provenance: what the placed layer records
  prompt,
  model,
  tier: tierSchema,
  size,
  variations: int(1, 10),
  referenceIds: z.array(id).check(z.maxLength(16)),
  transparent: z.optional(z.boolean()),
});
export type ScheduledItem = z.infer<typeof scheduledItemSchema>;

/** An overnight batch scheduled from this file (root pluginData): placed when the file is next opened. */
export const scheduledBatchSchema = z.object({
  /** the backend's batch id (GET/DELETE /v1/framefill/batches/{id}) */
  id: text(100, 1),
  createdAt: count,
  /** batch price ÷ the synchronous price, as the backend answered */
  discount: z.number().check(z.positive(), z.maximum(1)),
  /** what the backend holds against the budget until it settles */
  reservedUsd: nonnegative,
  /** the same run now, for comparison */
  nowUsd: nonnegative,
  /** the items not yet placed or reported (placing one drops it, in that placement's undo step) */
  items: z.array(scheduledItemSchema).check(z.maxLength(500)),
  /** the Run it came from: batches one Run was split into share it and show as one row (absent in records made before) */
  run: z.optional(text(100, 1)),
});
export type ScheduledBatch = z.infer<typeof scheduledBatchSchema>;

// ---------- panel → sandbox ----------

export const uiToSandboxSchema = z.discriminatedUnion('type', [
  /** the panel has loaded; the sandbox answers with `init` */
  z.object({ type: z.literal('ready') }),
  /** export nodes as reference images; answered by `exported` or `failed` */
  z.object({
    type: z.literal('export'),
    rid,
    nodeIds: z.array(id).check(z.minLength(1), z.maxLength(16)),
    /** longest side in px; at most 2048 unless HD asks more */
    maxSide: int(16, 4096),
    /** export this target's mask layer at the target's size */
    maskFor: z.nullable(id),
  }),
  /** place results; answered by `placed` or `failed` */
  z.object({
    type: z.literal('place'),
    rid,
    /** null: nothing was selected, place at the viewport centre */
    targetId: z.nullable(id),
    images: z.array(resultImageSchema).check(z.minLength(1), z.maxLength(10)),
    /** "all" places every image side by side to the right of the target */
    mode: z.enum(['one', 'all']),
    name: text(200),
    provenance: provenanceSchema,
    /** (issue 15) an edit tool's result */
    edit: z.optional(placeEditSchema),
  }),
  /** place a history entry again from its stored image hash; answered by `placed` or `failed` */
  z.object({ type: z.literal('place-hash'), rid, imageHash: text(200, 1), targetId: z.nullable(id), name: text(200), provenance: provenanceSchema }),
  z.object({ type: z.literal('save-settings'), settings: settingsSchema }),
  /** `images[i]` are the bytes of `entry.images[i]` when it has no hash yet: the sandbox makes it a Figma image */
  z.object({ type: z.literal('add-history'), entry: historyEntrySchema, images: z.optional(z.array(z.nullable(bytes)).check(z.maxLength(HISTORY_IMAGES))) }),
  /** image `index` of history entry `id` went on the canvas */
  z.object({ type: z.literal('history-placed'), id: text(100), index: int(0, HISTORY_IMAGES - 1) }),
  z.object({ type: z.literal('save-draft'), draft: draftSchema }),
  z.object({ type: z.literal('clear-history') }),
  z.object({ type: z.literal('add-pending'), run: pendingRunSchema }),
  z.object({ type: z.literal('remove-pending'), requestId: rid }),
  z.object({ type: z.literal('notify'), message: text(500), error: z.optional(z.boolean()) }),
  // (issue 14, kits) answered by `kits`
  z.object({ type: z.literal('load-kits') }),
  z.object({ type: z.literal('save-kit'), scope: kitScopeSchema, kit: kitSchema }),
  z.object({ type: z.literal('delete-kit'), scope: kitScopeSchema, id: text(100, 1) }),
  z.object({ type: z.literal('choose-kit'), choice: z.nullable(kitChoiceSchema) }),
  /** which of a kit's reference layers still exist; answered by `kit-refs` */
  z.object({ type: z.literal('find-kit-refs'), rid, ids: z.array(id).check(z.maxLength(16)) }),
  /**
   * (issue 14, finalize) Framefill's images in the selection and on the current page; `selectAll`
   * first selects every one on the page ("Select Framefill images on this page"). Answered by
   * `framefill-images`.
   */
  z.object({ type: z.literal('framefill-images'), selectAll: z.boolean() }),
  /**
   * "Select them to fill": the empty frames and shapes inside the selection (the first `max`, in
   * document order: what one run takes) become the selection; the selection message follows.
   */
  z.object({ type: z.literal('select-empty-inside'), max: int(1, 500) }),
  /**
   * (issue 15) What an edit tool sends: `image`: the target's image fill as it is stored (whole,
   * uncropped; PNG or JPEG, else the run fails with a message); `fill`: the target as its fills
   * show it alone (layers inside hidden), at its own shape. `area`: also its area layer as the
   * mask, the same pixel size as that export. Answered by `exported` or `failed`.
   */
  z.object({ type: z.literal('export-image'), rid, nodeId: id, source: z.enum(['image', 'fill']), maxSide: int(16, 4096), area: z.boolean() }),
  /** (issue 15) Select area: a "Framefill area" layer over the target, selected for shaping; the selection message follows */
  z.object({ type: z.literal('create-area'), targetId: id }),
  /** (issue 15) drop the originals the edit tools kept hidden under the target's image (one undo step) */
  z.object({ type: z.literal('discard-originals'), targetId: id }),
  // (issue 16, overnight) answered by `scheduled`
  /** record a batch just submitted in the file (the sandbox adds each target's place); one undo step */
  z.object({ type: z.literal('schedule-batch'), batch: scheduledBatchSchema }),
  /**
   * place an overnight item's result into its target (or where the target was), one undo step that
   * also drops the item from the file's list. Answered by `placed` — with no `nodeIds` when this
   * user already placed it (placing twice never happens) — or `failed`.
   */
  z.object({ type: z.literal('place-scheduled'), rid, batchId: text(100, 1), itemId: rid, image: resultImageSchema, name: text(200), provenance: provenanceSchema }),
  /** forget items that will never be placed (failed, expired, cancelled), or the whole batch (`itemIds` null) */
  z.object({ type: z.literal('drop-scheduled'), batchId: text(100, 1), itemIds: z.nullable(z.array(rid)) }),
  /** (issue 16) the panel's periodic look: put back batches an Undo took out of the file; answered by `scheduled` only when some were */
  z.object({ type: z.literal('reconcile-scheduled') }),
]);
export type UiToSandbox = z.infer<typeof uiToSandboxSchema>;

// ---------- sandbox → panel ----------

export const sandboxToUiSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    settings: settingsSchema,
    history: z.array(historyEntrySchema),
    pending: z.array(pendingRunSchema),
    /** absent from sandboxes before issue 13 */
    draft: z.optional(draftSchema),
    selection: selectionSchema,
    prefill: z.nullable(prefillSchema),
    /** (issue 16) the file's overnight batches; absent from sandboxes before issue 16 */
    scheduled: z.optional(z.array(scheduledBatchSchema)),
    /** (issue 16) ids of their items this user already placed (clientStorage: Undo never brings them back) */
    scheduledPlaced: z.optional(z.array(rid)),
  }),
  z.object({ type: z.literal('selection'), selection: selectionSchema }),
  z.object({
    type: z.literal('exported'),
    rid,
    images: z.array(exportedImageSchema),
    mask: z.nullable(z.object({ bytes, width: positiveInt, height: positiveInt })),
  }),
  z.object({
    type: z.literal('placed'),
    rid,
    nodeIds: z.array(id),
    imageHash: z.nullable(z.string()),
    /** e.g. "The frame was deleted while the image was made — placed it where it was" */
    notices: z.array(z.string()),
  }),
  /** a request could not be done; message is for the user */
  z.object({ type: z.literal('failed'), rid, message: z.string() }),
  z.object({ type: z.literal('history'), history: z.array(historyEntrySchema) }),
  z.object({ type: z.literal('pending'), pending: z.array(pendingRunSchema) }),
  /**
   * (issue 13) After canvas changes (undo, redo, edits): for each placement (the `rid` of its
   * `placed`), whether each placed image still shows on the canvas, in the order placed.
   */
  z.object({
    type: z.literal('placements'),
    placements: z.array(z.object({ rid, shown: z.array(z.boolean()) })),
  }),
  // (issue 14, kits) the kits in the document and in clientStorage; `problem` says why a save or delete didn't happen
  z.object({ type: z.literal('kits'), file: z.array(kitSchema), personal: z.array(kitSchema), problem: z.optional(z.string()), choice: z.optional(z.nullable(kitChoiceSchema)) }),
  /** the layers of `find-kit-refs` that still exist, with their current names */
  z.object({ type: z.literal('kit-refs'), rid, refs: z.array(kitRefSchema) }),
  /** (issue 14, finalize) the answer to `framefill-images`: those selected, and all on the page */
  z.object({
    type: z.literal('framefill-images'),
    selected: z.array(framefillImageSchema),
    onPage: z.array(framefillImageSchema),
  }),
  /** (issue 16) the file's overnight batches after a change; `problem`: why a batch couldn't be recorded */
  z.object({ type: z.literal('scheduled'), batches: z.array(scheduledBatchSchema), placed: z.array(rid), problem: z.optional(z.string()) }),
]);
export type SandboxToUi = z.infer<typeof sandboxToUiSchema>;

export type MessageOf<U extends { type: string }, T extends U['type']> = Extract<U, { type: T }>;
