// One JSON line per request. Fields are whitelisted here so nothing secret can slip in: no
// OpenAI key, no client secrets, prompts only when the operator opted in (FRAMEFILL_LOG_PROMPTS=1).

export interface RequestLogLine {
  time: string;
  /** caller's token name; null when authentication failed or was not needed */
  token: string | null;
  method: string;
  route: string;
  status: number;
  ms: number;
  cost_usd: number;
  images: number;
  request_id: string;
  model?: string;
  stream?: boolean;
  /** OpenAI's x-request-id, to correlate with OpenAI support */
  upstream_request_id?: string | null;
  /** error code when the request failed */
  error?: string | null;
  /** only with FRAMEFILL_LOG_PROMPTS=1 */
  prompt?: string;
  /** answered from a stored result (Idempotency-Key repeat): no upstream call, no charge */
  replayed?: boolean;
}

export type Logger = (line: RequestLogLine) => void;

/** Writes each line as JSON (default: stdout via console.log, which every platform captures). */
export function jsonLogger(write: (text: string) => void = (text) => console.log(text)): Logger {
  return (line) => write(JSON.stringify(line));
}

/** Details a request handler adds to its log line as it learns them. */
export type LogDetails = Partial<
  Pick<RequestLogLine, 'cost_usd' | 'images' | 'model' | 'stream' | 'upstream_request_id' | 'error' | 'prompt' | 'replayed'>
>;
