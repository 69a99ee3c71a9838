// A batch record as GET/POST/DELETE /v1/framefill/batches answer it (contract.ts Batch). Pure.
import type { Batch } from '../contract';
import { fromMicros, roundUsd } from '../pricing';
import type { BatchRecord } from './batch-record';

export function batchView(record: BatchRecord): Batch {
  const progress = record.parts.reduce((sum, p) => ({ total: sum.total + p.counts.total, completed: sum.completed + p.counts.completed, failed: sum.failed + p.counts.failed }), { total: 0, completed: 0, failed: 0 });
  return {
    object: 'framefill.batch',
    id: record.id,
    status: record.status,
    created_at: Math.floor(record.created_at / 1000),
    discount: record.discount,
    reserved_usd: record.settled ? 0 : roundUsd(fromMicros(record.reserved_micros)),
    cost_usd: record.cost_usd,
    progress: { ...progress, total: Math.max(progress.total, record.items.length) },
    items: record.items.map((item) => ({ id: item.id, kind: item.kind, status: item.status, cost_usd: item.cost_usd, error: item.error })),
  };
}
