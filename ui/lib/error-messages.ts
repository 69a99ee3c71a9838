// Every failure, said the way a designer understands it, with what to do next. Pure.
import { ERROR_CODES } from '../../backend/contract';
import { isAbortError } from './concurrency';
import { BackendError, isBudgetError } from './backend-error';
import type { RetryWait } from './retry';

export interface UserError {
  message: string;
  /** the fix lives in Settings (URL or token): the UI offers a way there */
  settings: boolean;
  /** worth a Retry button at all */
  retryable: boolean;
  /** the request won't pass unchanged (refused prompt, invalid request): offer to edit the prompt */
  editPrompt: boolean;
  /**
   * a retry should reuse the same request id: the backend may have finished (or still be
   * making) the image, and the idempotency key gets it back without paying twice
   */
  sameRequest: boolean;
}

/**
 * Where the message is shown: in Settings the fix is right there ("check the token above"), so it
 * must not send the user to Settings.
 */
export type ErrorPlace = 'panel' | 'settings';

/** The next step for a wrong URL or token, said for where the user is. */
function fixIn(place: ErrorPlace, what: 'URL' | 'token'): string {
  if (place === 'settings') return what === 'URL' ? 'check the Backend URL above' : 'check the access token above and save';
  return what === 'URL' ? 'check the URL in Settings' : 'check it in Settings';
}

const user = (message: string, extra: Partial<UserError> = {}): UserError => ({ message, settings: false, retryable: true, editPrompt: false, sameRequest: false, ...extra });
/** Sending the same request again would be refused again. */
const unchanged = { retryable: false, editPrompt: true } as const;

export function describeError(error: unknown, place: ErrorPlace = 'panel'): UserError {
  if (isAbortError(error)) return user('Cancelled.', { retryable: true });
  if (!(error instanceof BackendError)) {
    const message = error instanceof Error ? error.message : String(error);
    return user(message || 'Something went wrong.');
  }
  switch (error.kind) {
    case 'network':
      return user(`Can't reach the Framefill backend at ${error.url} — ${fixIn(place, 'URL')}.`, { settings: true, sameRequest: true });
    case 'dropped':
      return user('The connection dropped before the image finished.', { sameRequest: true });
    case 'invalid-response':
      return user(`The server at ${error.url} doesn't answer like a Framefill backend — ${fixIn(place, 'URL')}.`, { settings: true });
    case 'http':
    case 'stream':
      return describeApiError(error, place);
  }
}

function describeApiError(error: BackendError, place: ErrorPlace): UserError {
  const status = error.status ?? statusForCode(error.code);
  if (error.code === ERROR_CODES.moderationBlocked || error.code === ERROR_CODES.contentPolicyViolation) {
    return user("OpenAI's safety system blocked this prompt. Rephrase it — describe the scene plainly and leave out anything violent, explicit or about real people — then run again.", unchanged);
  }
  if (error.code === ERROR_CODES.requestLost) {
    return user('The backend stopped before this image finished, and nothing was charged. Run it again.', { sameRequest: true });
  }
  if (status === 401) return user(`The access token was refused — ${fixIn(place, 'token')}.`, { settings: true });
  if (status === 403) return user("This access token isn't allowed to do that — ask your Framefill admin.", { settings: true, retryable: false });
  if (isBudgetError(error)) {
    return user("Your team's monthly image budget is used up. Ask your Framefill admin to raise it, or wait until next month.", { retryable: false });
  }
  if (status === 429) {
    const wait = error.retryAfterS;
    return user(wait ? `Rate limited — too many images at once. Try again in ${wait} s.` : 'Rate limited — too many images at once. Try again in a minute.');
  }
  if (status === 413) return user('The reference images are too large to upload — pin fewer references or select smaller layers.');
  if (status === 504 || error.code === ERROR_CODES.upstreamTimeout) {
    return user('OpenAI took too long to make this image. Try again — a lower quality tier or a smaller size is faster.');
  }
  if (status === 502 || error.code === ERROR_CODES.upstreamUnreachable) return user("The backend couldn't reach OpenAI. Try again in a moment.", { sameRequest: true });
  if (status === 503) return user('The backend is busy or starting up. Try again in a moment.', { sameRequest: true });
  if (status === 400 || error.type === 'invalid_request_error') return describeInvalid(error, status);
  if (status !== null && status >= 500) {
    return user(`The backend ran into a problem (HTTP ${status}). Try again; if it keeps happening, tell your Framefill admin.`);
  }
  if (status === 404) return user(`The backend at ${error.url} doesn't know this request — ${fixIn(place, 'URL')}.`, { settings: true, retryable: false });
  return user(error.message ? `The image failed: ${error.message}` : 'The image failed.');
}

/**
 * A 400 (or a stream's invalid-request event) would be refused again as it is: no Retry. The
 * prompt is what the user can change from here, except when the size or an image was refused
 * (those are fixed in the form or the selection).
 */
function describeInvalid(error: BackendError, status: number | null): UserError {
  const detail = error.message.replace(/\.$/, '');
  const param = error.param ?? '';
  const refused = status === 400 || status === null;
  const next = refused ? unchanged : {};
  if (param === 'prompt') return user(`The prompt was refused: ${detail}.`, next);
  if (param === 'size') return user(`The size was refused: ${detail}.`, refused ? { retryable: false } : {});
  if (/^(image|mask)/.test(param)) return user(`A reference image was refused: ${detail}.`, refused ? { retryable: false } : {});
  return user(param ? `The backend refused the request (${param}): ${detail}.` : `The backend refused the request: ${detail}.`, next);
}

/** Stream error events carry a code but no HTTP status. */
function statusForCode(code: string | null): number | null {
  switch (code) {
    case ERROR_CODES.invalidApiKey:
      return 401;
    case ERROR_CODES.rateLimitExceeded:
      return 429;
    case ERROR_CODES.upstreamUnreachable:
      return 502;
    case ERROR_CODES.upstreamTimeout:
      return 504;
    default:
      return null;
  }
}

/** The line shown while the client waits to retry (the card's meta line counts the seconds down). */
export function waitMessage(wait: Pick<RetryWait, 'reason' | 'delayMs' | 'attempt' | 'retries'>): string {
  const seconds = Math.ceil(wait.delayMs / 1000);
  switch (wait.reason) {
    case 'rate-limit':
      return `Rate limited — waiting ${seconds} s`;
    case 'unreachable':
      return `Can't reach the backend — retrying (${wait.attempt}/${wait.retries ?? wait.attempt})…`;
    case 'transient':
      return `Connection trouble — retrying in ${seconds} s`;
  }
}
