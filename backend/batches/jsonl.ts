// The Batch API's JSONL, both ways. Pure. Input: one line per request,
// `{custom_id, method: "POST", url, body}`. Output and error files: one line per request,
// `{id, custom_id, response: {status_code, request_id, body} | null, error: {code, message} | null}`.
import { isObject } from '../upstream/values';

export function batchLine(customId: string, url: string, body: Record<string, unknown>): string {
  return JSON.stringify({ custom_id: customId, method: 'POST', url, body });
}

export type LineOutcome =
  | { kind: 'succeeded'; body: Record<string, unknown>; requestId: string | null }
  | { kind: 'failed' | 'expired' | 'cancelled'; code: string | null; message: string };

/** The custom_id and outcome of one line of an output or error file; null when it is not one. */
export function parseOutcome(row: string): { customId: string; outcome: LineOutcome } | null {
  if (row.trim() === '') return null;
  let line: unknown;
  try {
    line = JSON.parse(row);
  } catch {
    return null;
  }
  if (!isObject(line) || typeof line.custom_id !== 'string') return null;
  return { customId: line.custom_id, outcome: outcomeOf(line) };
}

function outcomeOf(line: Record<string, unknown>): LineOutcome {
  const response = isObject(line.response) ? line.response : null;
  if (response && response.status_code === 200 && isObject(response.body)) {
    return { kind: 'succeeded', body: response.body, requestId: typeof response.request_id === 'string' ? response.request_id : null };
  }
  const said = isObject(line.error) ? line.error : response && isObject(response.body) && isObject(response.body.error) ? response.body.error : {};
  const code = typeof said.code === 'string' ? said.code : null;
  const message = typeof said.message === 'string' ? said.message : `OpenAI answered ${String(response?.status_code ?? 'nothing')} for this item.`;
  const kind = code === 'batch_expired' ? 'expired' : code === 'batch_cancelled' ? 'cancelled' : 'failed';
  return { kind, code, message };
}
