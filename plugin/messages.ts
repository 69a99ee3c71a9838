// The contract between the sandbox (owner) and the panel. Every message crossing
// postMessage is parsed with these schemas on arrival; binary data crosses as Uint8Array
// (structured clone), never as number arrays or JSON.
import * as z from 'zod';

export const tierSchema = z.enum(['low', 'medium', 'high']);
export const sizeModeSchema = z.enum(['auto', '1:1', '3:2', '2:3', '16:9', '9:16', 'custom']);
const bytes = z.instanceof(Uint8Array);
const id = z.string().min(1).max(200);
/** Correlates a panel request with the sandbox's reply. */
const rid = z.string().min(1).max(100);

// ---------- shared shapes ----------

export const settingsSchema = z.object({
  backendUrl: z.string().max(2000),
  accessToken: z.string().max(4000),
  tier: tierSchema,
  sizeMode: sizeModeSchema,
  customWidth: z.number().int().min(16).max(3840),
  customHeight: z.number().int().min(16).max(3840),
  hd: z.boolean(),
  variations: z.number().int().min(1).max(4),
});
export type Settings = z.infer<typeof settingsSchema>;

/** A selected node that can receive a result. */
export const targetSchema = z.object({
  id,
  name: z.string(),
  type: z.string(),
  width: z.number().nonnegative(),
  height: z.number().nonnegative(),
  /** no visible children and no image fill: filled by generation; otherwise restyled by an edit */
  empty: z.boolean(),
  /** id of a child layer named "mask" (or a mask layer) that becomes the edit mask */
  maskId: id.nullable(),
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
});
export type Selection = z.infer<typeof selectionSchema>;

/** What is recorded on every placed node (pluginData "framefill") and in history. */
export const provenanceSchema = z.object({
  prompt: z.string().max(32000),
  tier: tierSchema,
  /** the size requested from the model, e.g. "1536x1024" */
  size: z.string().max(20),
  model: z.string().max(100),
  costUsd: z.number().nonnegative(),
  createdAt: z.number().int().nonnegative(),
  referenceIds: z.array(id).max(16),
  requestId: z.string().max(100),
});
export type Provenance = z.infer<typeof provenanceSchema>;

export const historyEntrySchema = z.object({
  id: z.string().max(100),
  prompt: z.string().max(32000),
  tier: tierSchema,
  size: z.string().max(20),
  model: z.string().max(100),
  variations: z.number().int().min(1).max(10),
  costUsd: z.number().nonnegative(),
  createdAt: z.number().int().nonnegative(),
  nodeIds: z.array(z.string()).max(64),
  /** Figma image hash of the placed image, so "place again" needs no new request */
  imageHash: z.string().max(200).nullable(),
  /** small JPEG thumbnail (≤ ~8 KB) */
  thumbnail: bytes.nullable(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** A run whose results are not placed yet; survives closing the panel. */
export const pendingRunSchema = z.object({
  /** the Idempotency-Key sent to the backend; GET /v1/results/{requestId} fetches it later */
  requestId: z.string().min(1).max(100),
  kind: z.enum(['generate', 'edit']),
  targetId: id.nullable(),
  targetName: z.string(),
  prompt: z.string().max(32000),
  tier: tierSchema,
  size: z.string().max(20),
  variations: z.number().int().min(1).max(10),
  referenceIds: z.array(id).max(16),
  startedAt: z.number().int().nonnegative(),
});
export type PendingRun = z.infer<typeof pendingRunSchema>;

/** Opening the panel from a node's "Regenerate" button or from a quick action. */
export const prefillSchema = z.object({
  prompt: z.string().max(32000),
  tier: tierSchema.optional(),
  size: z.string().max(20).optional(),
  /** quick actions start the run at once */
  autoRun: z.boolean(),
});
export type Prefill = z.infer<typeof prefillSchema>;

export const exportedImageSchema = z.object({
  nodeId: id,
  bytes,
  format: z.enum(['png', 'jpeg']),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type ExportedImage = z.infer<typeof exportedImageSchema>;

export const resultImageSchema = z.object({
  bytes,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type ResultImage = z.infer<typeof resultImageSchema>;

// ---------- panel → sandbox ----------

export const uiToSandboxSchema = z.discriminatedUnion('type', [
  /** the panel has loaded; the sandbox answers with `init` */
  z.object({ type: z.literal('ready') }),
  /** export nodes as reference images; answered by `exported` or `failed` */
  z.object({
    type: z.literal('export'),
    rid,
    nodeIds: z.array(id).min(1).max(16),
    /** longest side in px; at most 2048 unless HD asks more */
    maxSide: z.number().int().min(16).max(4096),
    /** export this target's mask layer at the target's size */
    maskFor: id.nullable(),
  }),
  /** place results; answered by `placed` or `failed` */
  z.object({
    type: z.literal('place'),
    rid,
    /** null: nothing was selected, place at the viewport centre */
    targetId: id.nullable(),
    images: z.array(resultImageSchema).min(1).max(10),
    /** "all" places every image side by side to the right of the target */
    mode: z.enum(['one', 'all']),
    name: z.string().max(200),
    provenance: provenanceSchema,
  }),
  /** place a history entry again from its stored image hash; answered by `placed` or `failed` */
  z.object({ type: z.literal('place-hash'), rid, imageHash: z.string().min(1).max(200), targetId: id.nullable(), name: z.string().max(200), provenance: provenanceSchema }),
  z.object({ type: z.literal('save-settings'), settings: settingsSchema }),
  z.object({ type: z.literal('add-history'), entry: historyEntrySchema }),
  z.object({ type: z.literal('clear-history') }),
  z.object({ type: z.literal('add-pending'), run: pendingRunSchema }),
  z.object({ type: z.literal('remove-pending'), requestId: z.string().min(1).max(100) }),
  z.object({ type: z.literal('notify'), message: z.string().max(500), error: z.boolean().optional() }),
]);
export type UiToSandbox = z.infer<typeof uiToSandboxSchema>;

// ---------- sandbox → panel ----------

export const sandboxToUiSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    settings: settingsSchema,
    history: z.array(historyEntrySchema),
    pending: z.array(pendingRunSchema),
    selection: selectionSchema,
    prefill: prefillSchema.nullable(),
  }),
  z.object({ type: z.literal('selection'), selection: selectionSchema }),
  z.object({
    type: z.literal('exported'),
    rid,
    images: z.array(exportedImageSchema),
    mask: z.object({ bytes, width: z.number().int().positive(), height: z.number().int().positive() }).nullable(),
  }),
  z.object({
    type: z.literal('placed'),
    rid,
    nodeIds: z.array(id),
    imageHash: z.string().nullable(),
    /** e.g. "The frame was deleted while the image was made — placed it where it was" */
    notices: z.array(z.string()),
  }),
  /** a request could not be done; message is for the user */
  z.object({ type: z.literal('failed'), rid, message: z.string() }),
  z.object({ type: z.literal('history'), history: z.array(historyEntrySchema) }),
  z.object({ type: z.literal('pending'), pending: z.array(pendingRunSchema) }),
]);
export type SandboxToUi = z.infer<typeof sandboxToUiSchema>;

export type MessageOf<U extends { type: string }, T extends U['type']> = Extract<U, { type: T }>;
