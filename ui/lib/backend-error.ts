// The one error type the backend client throws, carrying what the user message needs.
import { BUDGET_ERROR_CODES } from '../../backend/contract';

export type BackendErrorKind =
  /** fetch itself failed (TypeError): offline, wrong URL, CORS, DNS */
  | 'network'
  /** the server answered with a 4xx/5xx */
  | 'http'
  /** the stream carried an error event */
  | 'stream'
  /** the stream ended before any completed image */
  | 'dropped'
  /** the body was not what the contract says */
  | 'invalid-response';

export interface BackendErrorInit {
  kind: BackendErrorKind;
  url: string;
  status?: number | null;
  code?: string | null;
  type?: string | null;
  param?: string | null;
  retryAfterS?: number | null;
  cause?: unknown;
}

export class BackendError extends Error {
  readonly kind: BackendErrorKind;
  /** the backend base URL, for "Can't reach … at <url>" */
  readonly url: string;
  readonly status: number | null;
  readonly code: string | null;
  readonly type: string | null;
  readonly param: string | null;
  readonly retryAfterS: number | null;

  constructor(message: string, init: BackendErrorInit) {
    super(message, { cause: init.cause });
    this.name = 'BackendError';
    this.kind = init.kind;
    this.url = init.url;
    this.status = init.status ?? null;
    this.code = init.code ?? null;
    this.type = init.type ?? null;
    this.param = init.param ?? null;
    this.retryAfterS = init.retryAfterS ?? null;
  }
}

/** A spent budget is not worth retrying, whatever status carried it (402 or 429). */
export function isBudgetError(error: BackendError): boolean {
  return error.status === 402 || (error.code !== null && BUDGET_ERROR_CODES.includes(error.code)) || /budget/i.test(error.type ?? '');
}
