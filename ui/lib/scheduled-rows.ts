// The Scheduled list's rows. A Run whose edits' images did not fit one request went to the backend
// as several batches (batch-chunks.ts); the user scheduled one run, so it reads as one row — one
// count, one progress bar, one reserved total, one Cancel — whatever the number of batches.
import type { Batch } from '../../backend/contract';
import type { ScheduledBatch } from '../../plugin/messages';
import { sumUsd } from './cost-estimate';
import { progressText } from './overnight-plan';

/** One batch as the panel follows it (ui/run/overnight.ts). */
export interface BatchState {
  record: ScheduledBatch;
  /** what the backend last said; null until it answered */
  view: Batch | null;
  /** why it can't be followed now (no answer, unknown to this token) */
  problem: string | null;
}

export interface ScheduledRow {
  /** the Run (or, for a record made before runs were kept, the batch) */
  key: string;
  /** the batches still running: what Cancel cancels */
  openIds: string[];
  /** images in the run */
  count: number;
  createdAt: number;
  total: number;
  done: number;
  reservedUsd: number;
  nowUsd: number;
  discount: number;
  /** "3 of 12 done · 1 failed", "Cancelled", … */
  status: string;
  /** why a batch of it can't be followed now, each said once */
  problems: string[];
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const isOpen = (b: BatchState) => b.view === null || b.view.status === 'in_progress';

/** The rows, in the order their first batch is listed. */
export function scheduledRows(batches: readonly BatchState[]): ScheduledRow[] {
  const runs = new Map<string, BatchState[]>();
  for (const b of batches) {
    const key = b.record.run ?? b.record.id;
    runs.set(key, [...(runs.get(key) ?? []), b]);
  }
  return [...runs].map(([key, members]) => rowOf(key, members));
}

function rowOf(key: string, members: BatchState[]): ScheduledRow {
  const counts = members.map((b) => b.view?.items.length ?? b.record.items.length);
  const progress = {
    total: sum(members.map((b, i) => b.view?.progress.total ?? counts[i]!)),
    completed: sum(members.map((b) => b.view?.progress.completed ?? 0)),
    failed: sum(members.map((b) => b.view?.progress.failed ?? 0)),
  };
  return {
    key,
    openIds: members.filter(isOpen).map((b) => b.record.id),
    count: sum(counts),
    createdAt: Math.min(...members.map((b) => b.record.createdAt)),
    total: progress.total,
    done: progress.completed,
    reservedUsd: sumUsd(members.map((b) => b.view?.reserved_usd ?? b.record.reservedUsd)),
    nowUsd: sumUsd(members.map((b) => b.record.nowUsd)),
    discount: members[0]!.record.discount,
    status: statusOf(members, progress),
    problems: [...new Set(members.flatMap((b) => (b.problem ? [b.problem] : [])))],
  };
}

/** One batch says what it says; several say it of their sum: a shared status, or how many are done. */
function statusOf(members: BatchState[], progress: Batch['progress']): string {
  const views = members.map((b) => b.view);
  if (views.length === 1 || views.every((v) => v === null)) return progressText(views[0] ?? null);
  const statuses = new Set(views.map((v) => v?.status ?? 'in_progress'));
  const status: Batch['status'] = statuses.size === 1 ? [...statuses][0]! : statuses.has('cancelling') ? 'cancelling' : 'in_progress';
  return progressText({ ...views.find((v) => v !== null)!, status, progress });
}
