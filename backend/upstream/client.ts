// The upstream: OpenAI's official SDK, pointed at OpenAI or at any compatible server
// (OPENAI_BASE_URL; the tests' fake). The SDK retries 408/409/429/5xx and connection errors
// with backoff, honouring Retry-After; the per-attempt timeout is ours.
import OpenAI from 'openai';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface UpstreamOptions {
  apiKey: string;
  baseURL: string | undefined;
  timeoutMs: number;
  maxRetries: number;
  fetch?: typeof fetch;
}

/**
 * The part of the SDK client the backend uses; tests may hand in any OpenAI instance. Edits go
 * through `post` with a body already assembled (edit-upload.ts), generations through `images`.
 */
export type UpstreamClient = Pick<OpenAI, 'images' | 'post'>;
export type UpstreamFactory = (options: UpstreamOptions) => UpstreamClient;

export const createOpenAIClient: UpstreamFactory = (options) =>
  new OpenAI({
    apiKey: options.apiKey,
    // Explicit, so the SDK never falls back to an OPENAI_BASE_URL read behind our back.
    baseURL: options.baseURL ?? OPENAI_DEFAULT_BASE_URL,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    // The SDK would otherwise print warnings (and unparsable stream chunks) to the console,
    // outside our one-JSON-line-per-request log.
    logLevel: 'off',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

/** Origin of the upstream, for the start-up line (never includes credentials). */
export function upstreamOrigin(baseURL: string | undefined): string {
  try {
    return new URL(baseURL ?? OPENAI_DEFAULT_BASE_URL).origin;
  } catch {
    return 'unknown';
  }
}
