// POST /v1/framefill/batches: every item validated as the image routes validate it (a bad item
// is a 400 naming `items[i].field`, before anything is reserved or uploaded), the items' worst
// case reserved at the batch price, edits' images uploaded as files, one JSONL input and one
// upstream batch per endpoint, and the record kept for whichever instance follows it.
import { reserveHeld, settleHeld, type HeldReservation } from '../accounting/reservation';
import { batchDefaults } from '../config/load-config';
import { limitsFor } from '../config/limits';
import { batchSubmitSchema, type BatchItem } from '../contract';
import { batchItemInvalid, batchItemTaken, HttpError, invalidRequest } from '../errors';
import { maxCostMicros, type PixelSize } from '../pricing';
import { fingerprint, isValidResultId, sha256Hex } from '../results/idempotency';
import { readResult } from '../results/retained-results';
import { storeKeys } from '../store/keys';
import { cancelBatch as cancelUpstream, createBatch, uploadFile, type BatchApiOptions, type BatchEndpoint } from '../upstream/batch-api';
import { validateEdit, type UploadImage } from '../validation/edit';
import { catalogEntry, type ModelPolicy } from '../validation/fields';
import { validateGeneration, type ImageParams } from '../validation/generation';
import type { FormPart } from '../validation/multipart';
import type { BatchDeps } from './batch-deps';
import { writeBatch, type BatchItemRecord, type BatchPart, type BatchRecord } from './batch-record';
import { deleteFiles } from './file-cleanup';
import { batchLine } from './jsonl';
import { addOpenBatch } from './open-batches';

/** OpenAI's completion window, plus time for the last look and the settlement: how long the reservation is held. */
export const BATCH_LEASE_MS = 25 * 3_600_000;
/** A batch's record lives its window, then FRAMEFILL_BATCH_RESULT_TTL_SECONDS like its results. */
export const recordTtlSeconds = (resultTtlSeconds: number) => Math.ceil(BATCH_LEASE_MS / 1000) + resultTtlSeconds;

interface PreparedItem {
  record: BatchItemRecord;
  /** the JSONL body, edits without their images yet */
  body: Record<string, unknown>;
  uploads: UploadImage[];
  mask: UploadImage | null;
}

export async function submitBatch(deps: BatchDeps, token: string, body: unknown, now: number): Promise<BatchRecord> {
  const settings = deps.config.batch ?? batchDefaults();
  const parsed = batchSubmitSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidRequest(`Invalid batch: ${issue?.message ?? 'not a batch'} at '${paramOf(issue?.path ?? [])}'.`, paramOf(issue?.path ?? []) || null, 'invalid_batch');
  }
  const { items } = parsed.data;
  if (items.length > settings.maxItems) {
    throw invalidRequest(`A batch holds at most ${settings.maxItems} items; this one has ${items.length}. Split it.`, 'items', 'too_many_items');
  }
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!isValidResultId(item.id)) throw invalidRequest(`Item ${i + 1}'s id must be 1–100 letters, digits or _.:-`, `items[${i}].id`, 'invalid_id');
    if (seen.has(item.id)) throw invalidRequest(`Item id '${item.id}' appears twice; each item needs its own.`, `items[${i}].id`, 'duplicate_id');
    seen.add(item.id);
  });
  const prepared: PreparedItem[] = [];
  for (const [i, item] of items.entries()) prepared.push(await prepareItem(deps, token, item, i));
  const id = `fbatch_${crypto.randomUUID().replace(/-/g, '')}`;
  const ttl = recordTtlSeconds(settings.resultTtlSeconds);
  const ids = items.map((item) => item.id);
  await claimItems(deps, token, id, ids, ttl);
  const unclaim = () => releaseItems(deps, token, id, ids, ttl);

  const fullMicros = prepared.reduce((sum, p) => sum + p.record.basis.maxMicros, 0);
  const reservedMicros = Math.ceil(fullMicros * settings.discount);
  const images = prepared.reduce((sum, p) => sum + p.record.basis.n, 0);
  let held: HeldReservation;
  let parts: BatchPart[];
  try {
    held = await reserveHeld(deps.store, { name: token, limits: limitsFor(deps.config.limits, token), now, images, maxMicros: reservedMicros, leaseMs: BATCH_LEASE_MS });
  } catch (err) {
    await unclaim();
    throw err;
  }
  try {
    parts = await createParts(deps, prepared);
  } catch (err) {
    await settleHeld(deps.store, held, null, now).catch((e: unknown) => deps.logServerError('batch', e, 'batch reservation not released'));
    await unclaim();
    throw err;
  }
  const record: BatchRecord = {
    v: 1,
    id,
    token,
    created_at: now,
    status: 'in_progress',
    discount: settings.discount,
    reserved_micros: reservedMicros,
    cost_usd: 0,
    held,
    parts,
    items: prepared.map((p) => p.record),
    settled: false,
  };
  await writeBatch(deps.store, record, ttl);
  await addOpenBatch(deps.store, { name: token, id: record.id }, ttl);
  return record;
}

/**
 * Claims every item id for batch `id` (atomically each: putIfAbsent), so two submissions racing
 * with the same id cannot both run it; an id with a stored result or another batch's claim is a
 * 409, and what this call claimed is let go again.
 */
async function claimItems(deps: BatchDeps, token: string, id: string, ids: string[], ttl: number): Promise<void> {
  for (const [i, itemId] of ids.entries()) {
    const taken = (await readResult(deps.store, token, itemId)) !== null || !(await deps.store.putIfAbsent(storeKeys.batchItem(token, itemId), id, ttl));
    if (taken) {
      await releaseItems(deps, token, id, ids.slice(0, i), ttl);
      throw batchItemTaken(itemId, i);
    }
  }
}

function releaseItems(deps: BatchDeps, token: string, id: string, ids: string[], ttl: number): Promise<unknown> {
  return Promise.all(ids.map((itemId) => deps.store.compareAndSet(storeKeys.batchItem(token, itemId), id, null, ttl).catch(() => false)));
}

/** One upstream batch per endpoint (OpenAI runs every line of a batch against its one endpoint). */
async function createParts(deps: BatchDeps, prepared: PreparedItem[]): Promise<BatchPart[]> {
  const options = { timeoutMs: deps.config.upstreamTimeoutMs, secrets: deps.secrets };
  const parts: BatchPart[] = [];
  /** every file uploaded so far, so a failure part-way leaves none behind */
  const uploaded: string[] = [];
  try {
    for (const endpoint of ['/v1/images/generations', '/v1/images/edits'] as const satisfies readonly BatchEndpoint[]) {
      const mine = prepared.filter((p) => p.record.endpoint === endpoint);
      if (mine.length === 0) continue;
      const lines: string[] = [];
      const first = uploaded.length;
      for (const p of mine) lines.push(batchLine(p.record.id, endpoint, await withFileIds(deps, p, options, uploaded)));
      const input = await uploadFile(deps.upstream, { bytes: new TextEncoder().encode(`${lines.join('\n')}\n`), filename: 'framefill-batch.jsonl', type: 'application/jsonl' }, 'batch', options);
      uploaded.push(input);
      const created = await createBatch(deps.upstream, input, endpoint, options);
      parts.push({ endpoint, upstream_id: created.id, status: created.status, output_file_id: null, error_file_id: null, counts: created.request_counts, uploaded: uploaded.slice(first) });
    }
  } catch (err) {
    // A part already created would run (and be billed by OpenAI) with nobody following it.
    await Promise.all(parts.map((p) => cancelUpstream(deps.upstream, p.upstream_id, options).catch(() => null)));
    // Files of a cancelled part stay until it is cancelled (OpenAI may still read them); the others go now.
    const running = new Set(parts.flatMap((p) => p.uploaded ?? []));
    await deleteFiles(deps, uploaded.filter((id) => !running.has(id)), 'batch not submitted');
    throw err;
  }
  return parts;
}

/** An edit's JSONL body: its images and mask uploaded as files (purpose vision) and named by id. */
async function withFileIds(deps: BatchDeps, p: PreparedItem, options: BatchApiOptions, uploaded: string[]): Promise<Record<string, unknown>> {
  const body = { ...p.body };
  const upload = async (image: UploadImage) => {
    const id = await uploadFile(deps.upstream, image, 'vision', options);
    uploaded.push(id);
    return { file_id: id };
  };
  if (p.uploads.length > 0) {
    const images: { file_id: string }[] = [];
    for (const image of p.uploads) images.push(await upload(image));
    body.images = images;
  }
  if (p.mask) body.mask = await upload(p.mask);
  return body;
}

function policyOf(deps: BatchDeps): ModelPolicy {
  const { config } = deps;
  return { defaultModel: config.model, allowedModels: config.allowedModels, ...(config.moderation ? { moderation: config.moderation } : {}) };
}

/** Validates one item as its image route would, naming `items[i].…` in any 400. */
async function prepareItem(deps: BatchDeps, token: string, item: BatchItem, i: number): Promise<PreparedItem> {
  const { id, kind, images, mask, ...fields } = item;
  try {
    if (kind === 'generation') {
      if (images !== undefined || mask !== undefined) throw invalidRequest('A generation takes no images; make the item an edit.', images !== undefined ? 'images' : 'mask', 'unknown_parameter');
      const valid = validateGeneration(fields, policyOf(deps));
      return await finishItem(deps, token, id, 'generation', valid.params, valid.n, [], null);
    }
    const form: FormPart[] = Object.entries(fields).map(([name, value]) => ({ kind: 'text', name, value: String(value) }));
    (images ?? []).forEach((b64, k) => form.push({ kind: 'file', name: 'image[]', filename: `image-${k + 1}`, type: '', bytes: decodeBase64(b64, `images[${k}]`) }));
    if (mask !== undefined) form.push({ kind: 'file', name: 'mask', filename: 'mask', type: '', bytes: decodeBase64(mask, 'mask') });
    const valid = validateEdit(form, policyOf(deps), { maxImageBytes: deps.config.maxImageBytes });
    return await finishItem(deps, token, id, 'edit', valid.params, valid.n, valid.images, valid.mask ?? null);
  } catch (err) {
    if (err instanceof HttpError && err.status === 400) {
      throw batchItemInvalid(i, id, err);
    }
    throw err;
  }
}

async function finishItem(deps: BatchDeps, token: string, id: string, kind: 'generation' | 'edit', validated: ImageParams, n: number, uploads: UploadImage[], mask: UploadImage | null): Promise<PreparedItem> {
  const params = { ...validated, user: await deps.endUserId(token, validated.user) };
  const pricing = deps.pricesFor(params.model);
  if (!pricing) catalogEntry(params.model); // validation lets only catalog models through; the same 400 should one slip past
  const inputs: PixelSize[] = [...uploads, ...(mask ? [mask] : [])].map(({ width, height }) => ({ width, height }));
  const maxMicros = maxCostMicros({ book: pricing?.book, autoTier: pricing?.autoTier, quality: params.quality, size: params.size, n, partialImages: 0, prompt: params.prompt, inputs });
  const route = kind === 'generation' ? 'generations' : 'edits';
  // As the synchronous routes print a request, so the stored result refuses any other request under its id.
  const identity = kind === 'edit' ? { images: await Promise.all(uploads.map((u) => sha256Hex(u.bytes))), mask: mask ? await sha256Hex(mask.bytes) : null } : null;
  const { partial_images: _partials, ...asked } = params;
  return {
    record: {
      id,
      kind,
      endpoint: `/v1/images/${route}`,
      model: params.model,
      fingerprint: await fingerprint(route, { asked, inputs: identity }),
      basis: { ...(params.quality ? { quality: params.quality } : {}), ...(params.size ? { size: params.size } : {}), n, promptChars: params.prompt.length, references: inputs.length, maxMicros },
      status: 'pending',
      cost_usd: null,
      error: null,
    },
    body: { ...params },
    uploads,
    mask,
  };
}

function decodeBase64(text: string, param: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw invalidRequest(`'${param}' is not base64.`, param, 'invalid_base64');
  const binary = atob(clean);
  const bytes = new Uint8Array(binary.length);
  for (let k = 0; k < binary.length; k++) bytes[k] = binary.charCodeAt(k);
  return bytes;
}

/** A zod path as a param: ['items', 3, 'prompt'] → 'items[3].prompt'. */
function paramOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}
