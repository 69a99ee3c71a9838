// Server-side failures, one line each on stderr for whoever runs the backend: the request id, the
// status and code the client saw, and the chain of causes behind it, with every secret redacted.
// Client errors (4xx) are the caller's business and stay in the request log line only.
import { describeWithCauses, HttpError, redact } from '../errors';

export type ServerErrorLog = (requestId: string, err: unknown, what?: string) => void;

export function serverErrorLog(secrets: readonly string[], write: (line: string) => void = (line) => console.error(line)): ServerErrorLog {
  return function logServerError(requestId, err, what) {
    const status = err instanceof HttpError ? err.status : 500;
    if (what === undefined && status < 500) return;
    const code = err instanceof HttpError ? (err.code ?? err.type) : 'internal_error';
    try {
      // The whole line, not just the causes: a code can come from upstream too.
      write(redact(`[${requestId}] ${what ?? `${status} ${code}`}: ${describeWithCauses(err, secrets)}`, secrets));
    } catch {
      // A failing log sink must not fail the request.
    }
  };
}
