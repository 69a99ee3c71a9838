// Following batches from any instance: advanceBatches(deps, now) looks at every open batch under
// a per-batch lock in the shared store (two instances never look, download or settle at once).
// While upstream runs, the record keeps its progress; once every part is final, the output and
// error files are read once, each item's image and `usage` become a stored result under its id
// (GET /v1/results/{id}), and the reservation is settled at the items' charge × the discount.
// Items that failed, expired or were cancelled are charged nothing and reported per item.
import { settleHeld } from '../accounting/reservation';
import type { UsageTotals } from '../accounting/usage-ledger';
import { batchDefaults } from '../config/load-config';
import { fromMicros, roundUsd, toMicros, type Tier } from '../pricing';
import { saveResult } from '../results/retained-results';
import { storeKeys } from '../store/keys';
import { cancelBatch as cancelUpstream, fileLines, FINAL_UPSTREAM_STATUSES, retrieveBatch, type UpstreamBatch } from '../upstream/batch-api';
import { addUsage, chargeFor, NO_USAGE } from '../upstream/charge';
import { isObject } from '../upstream/values';
import type { BatchDeps } from './batch-deps';
import { readBatch, writeBatch, type BatchItemRecord, type BatchRecord } from './batch-record';
import { deleteFiles, MAX_CLEANUP_TRIES } from './file-cleanup';
import { parseOutcome, type LineOutcome } from './jsonl';
import { openBatches, removeOpenBatch, type BatchRef } from './open-batches';
import { recordTtlSeconds } from './submit';

/** A lock outlives the longest look (a few upstream calls and the result writes). */
const LOCK_TTL_SECONDS = 600;
/** Batches looked at per run; the rest wait for the next run. */
const MAX_PER_RUN = 200;

export interface AdvanceReport {
  /** batches looked at */
  looked: number;
  /** batches that finished (and were settled) in this run */
  finished: number;
  /** held by another instance's lock */
  locked: number;
}

/** Advances every open batch once. Errors of one batch are logged; the others go on. */
export async function advanceBatches(deps: BatchDeps, now: number): Promise<AdvanceReport> {
  const report: AdvanceReport = { looked: 0, finished: 0, locked: 0 };
  for (const ref of (await openBatches(deps.store)).slice(0, MAX_PER_RUN)) {
    try {
      const outcome = await withLock(deps, ref.id, () => advanceOne(deps, ref, now));
      if (outcome === 'locked') report.locked += 1;
      else {
        report.looked += 1;
        if (outcome === 'finished') report.finished += 1;
      }
    } catch (err) {
      deps.logServerError('batch', err, `batch ${ref.id} not advanced`);
    }
  }
  return report;
}

/**
 * DELETE: cancels the batch's upstream parts that still run, then advances it (what OpenAI
 * already finished is kept and charged; the rest is released). Null when unknown.
 */
export async function cancelBatch(deps: BatchDeps, ref: BatchRef, now: number): Promise<BatchRecord | null> {
  const record = await readBatch(deps.store, ref.name, ref.id);
  if (!record) return null;
  if (record.settled) return record;
  const options = upstreamOptions(deps);
  // Bounded: a lock held by an advancing instance goes within moments.
  for (let attempt = 0; attempt < 20; attempt++) {
    const done = await withLock(deps, ref.id, async () => {
      const current = (await readBatch(deps.store, ref.name, ref.id)) ?? record;
      let cancelled = false;
      for (const part of current.parts) {
        if (FINAL_UPSTREAM_STATUSES.includes(part.status) || part.status === 'cancelling') continue;
        Object.assign(part, follow(await cancelUpstream(deps.upstream, part.upstream_id, options)));
        cancelled = true;
      }
      // A batch that had already finished upstream is reported as completed, not cancelled.
      if (cancelled) current.status = 'cancelling';
      await writeBatch(deps.store, current, ttlOf(deps));
      await advanceOne(deps, ref, now);
      return 'done' as const;
    });
    if (done !== 'locked') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return readBatch(deps.store, ref.name, ref.id);
}

async function withLock<T>(deps: BatchDeps, id: string, work: () => Promise<T>): Promise<T | 'locked'> {
  const key = storeKeys.batchLock(id);
  const owner = crypto.randomUUID();
  if (!(await deps.store.putIfAbsent(key, owner, LOCK_TTL_SECONDS))) return 'locked';
  try {
    return await work();
  } finally {
    await deps.store.compareAndSet(key, owner, null, LOCK_TTL_SECONDS).catch(() => false);
  }
}

const ttlOf = (deps: BatchDeps) => recordTtlSeconds((deps.config.batch ?? batchDefaults()).resultTtlSeconds);
const upstreamOptions = (deps: BatchDeps) => ({ timeoutMs: deps.config.upstreamTimeoutMs, secrets: deps.secrets });
const follow = (b: UpstreamBatch) => ({ status: b.status, output_file_id: b.output_file_id, error_file_id: b.error_file_id, counts: b.request_counts });

/** Under the batch's lock: look upstream; once every part is final, collect, store and settle. */
async function advanceOne(deps: BatchDeps, ref: BatchRef, now: number): Promise<'waiting' | 'finished' | 'gone'> {
  const record = await readBatch(deps.store, ref.name, ref.id);
  if (!record || record.settled) {
    // Followed until its files are gone upstream too (or given up on).
    if (record && !(await cleanUp(deps, record))) return 'waiting';
    await removeOpenBatch(deps.store, ref, ttlOf(deps));
    return 'gone';
  }
  for (const part of record.parts) {
    if (!FINAL_UPSTREAM_STATUSES.includes(part.status)) Object.assign(part, follow(await retrieveBatch(deps.upstream, part.upstream_id, upstreamOptions(deps))));
  }
  if (!record.parts.every((p) => FINAL_UPSTREAM_STATUSES.includes(p.status))) {
    await writeBatch(deps.store, record, ttlOf(deps));
    return 'waiting';
  }
  const totals = await collect(deps, record);
  // Marked settled before the money moves: a crash in between leaves the hold to expire (never a second charge).
  record.settled = true;
  record.cost_usd = totals?.cost_usd ?? 0;
  record.status = finalStatus(record);
  // Every file of the batch, to delete now that its results are stored.
  record.cleanup = { files: record.parts.flatMap((p) => [...(p.uploaded ?? []), ...[p.output_file_id, p.error_file_id].filter((f): f is string => f !== null)]), tries: 0 };
  await writeBatch(deps.store, record, ttlOf(deps));
  await settleHeld(deps.store, record.held, totals, now);
  if (await cleanUp(deps, record)) await removeOpenBatch(deps.store, ref, ttlOf(deps));
  return 'finished';
}

/** Deletes the settled batch's files upstream; true once none are left (or after MAX_CLEANUP_TRIES). */
async function cleanUp(deps: BatchDeps, record: BatchRecord): Promise<boolean> {
  const cleanup = record.cleanup;
  if (!cleanup || cleanup.files.length === 0) return true;
  const left = await deleteFiles(deps, cleanup.files, `batch ${record.id}`);
  record.cleanup = { files: left, tries: cleanup.tries + 1 };
  if (left.length > 0 && record.cleanup.tries >= MAX_CLEANUP_TRIES) {
    deps.warn(`batch ${record.id}: ${left.length} file(s) could not be deleted upstream after ${MAX_CLEANUP_TRIES} tries; OpenAI expires them in 30 days`);
    record.cleanup = { files: [], tries: record.cleanup.tries };
  }
  await writeBatch(deps.store, record, ttlOf(deps));
  return record.cleanup.files.length === 0;
}

/** Lines read at most from one file: a batch holds at most 50,000 requests. */
const MAX_LINES = 50_000;

/**
 * Reads the parts' error and output files line by line (one item's images in memory at a time):
 * each item's outcome onto the record, its result stored. The delivered items' totals (null: none).
 */
async function collect(deps: BatchDeps, record: BatchRecord): Promise<UsageTotals | null> {
  const byId = new Map(record.items.map((item) => [item.id, item]));
  const seen = new Set<string>();
  let sum: UsageTotals | null = null;
  for (const part of record.parts) {
    for (const file of [part.error_file_id, part.output_file_id]) {
      if (!file) continue;
      let lines = 0;
      for await (const row of fileLines(deps.upstream, file, upstreamOptions(deps))) {
        if (++lines > MAX_LINES) break;
        const parsed = parseOutcome(row);
        const item = parsed ? byId.get(parsed.customId) : undefined;
        if (!parsed || !item || seen.has(item.id)) continue;
        seen.add(item.id);
        const totals = await apply(deps, record, item, parsed.outcome);
        if (totals) sum = add(sum, totals);
      }
    }
  }
  for (const item of record.items) {
    if (seen.has(item.id)) continue;
    // Neither file names it: OpenAI never ran it (a failed batch), so it is not charged.
    const part = record.parts.find((p) => p.endpoint === item.endpoint);
    Object.assign(item, { status: part?.status === 'cancelled' ? 'cancelled' : 'failed', error: { code: 'batch_failed', message: `OpenAI's batch ended ${part?.status ?? 'without it'} before running this item.` } });
  }
  return sum;
}

/** One item's outcome onto its record (a success stored as its result); its totals when it delivered. */
async function apply(deps: BatchDeps, record: BatchRecord, item: BatchItemRecord, outcome: LineOutcome): Promise<UsageTotals | null> {
  if (outcome.kind !== 'succeeded') {
    Object.assign(item, { status: outcome.kind, error: { code: outcome.code, message: outcome.message } });
    return null;
  }
  const totals = chargeOf(deps, item, outcome.body, record.discount);
  item.status = 'succeeded';
  item.cost_usd = totals.cost_usd;
  const body = { ...outcome.body, framefill: { cost_usd: totals.cost_usd, request_id: outcome.requestId, model: item.model, batch_id: record.id } };
  await saveResult(deps.store, record.token, item.id, { v: 1, status: 'succeeded', route: item.kind === 'generation' ? 'generations' : 'edits', fingerprint: item.fingerprint, cost_usd: totals.cost_usd, body }, {
    ttlSeconds: (deps.config.batch ?? batchDefaults()).resultTtlSeconds,
    maxBytes: deps.config.maxResultBytes,
    warn: deps.warn,
  });
  return totals;
}

/** An item's charge: upstream's `usage` bounded as for a synchronous call (charge.ts), at the batch price. */
function chargeOf(deps: BatchDeps, item: BatchItemRecord, body: Record<string, unknown>, discount: number): UsageTotals {
  const data = Array.isArray(body.data) ? body.data.length : 0;
  const usage = isObject(body.usage) ? body.usage : undefined;
  const { basis } = item;
  const charge = chargeFor(
    { quality: basis.quality as Tier | 'auto' | undefined, size: basis.size, n: basis.n, promptChars: basis.promptChars, references: basis.references, maxMicros: basis.maxMicros, book: deps.pricesFor(item.model)?.book },
    { images: data, partials: 0, unfinishedPartials: 0, reported: addUsage(NO_USAGE, usage) },
  );
  if (charge.anomaly) deps.warn(`batch item ${item.id}: ${charge.anomaly}`);
  return { ...charge.totals, partial_images: 0, cost_usd: roundUsd(fromMicros(Math.round(toMicros(charge.totals.cost_usd) * discount))) };
}

function add(sum: UsageTotals | null, t: UsageTotals): UsageTotals {
  if (!sum) return t;
  return {
    images: sum.images + t.images,
    partial_images: 0,
    requests: sum.requests + t.requests,
    input_tokens: sum.input_tokens + t.input_tokens,
    output_tokens: sum.output_tokens + t.output_tokens,
    cost_usd: roundUsd(fromMicros(toMicros(sum.cost_usd) + toMicros(t.cost_usd))),
  };
}

function finalStatus(record: BatchRecord): BatchRecord['status'] {
  const statuses = record.parts.map((p) => p.status);
  if (statuses.includes('cancelled') || record.status === 'cancelling') return 'cancelled';
  if (statuses.includes('expired')) return 'expired';
  if (statuses.every((s) => s === 'failed')) return 'failed';
  return 'completed';
}
