// OpenAI-shaped errors for the fake: `{error:{message,type,param,code}}` with the status the
// real API uses, so clients see exactly what they would see upstream.

export interface OpenAIErrorBody {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export class FakeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: OpenAIErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

export function invalidRequest(message: string, param: string | null, code: string | null = 'invalid_value'): FakeApiError {
  return new FakeApiError(400, { message, type: 'invalid_request_error', param, code });
}

/** A valid value the chosen model does not take (OpenAI's wording for quality and stream). */
export function unsupportedQuality(model: string, quality: string): FakeApiError {
  return invalidRequest(`The model '${model}' does not support quality '${quality}'.`, 'quality', 'unsupported_value');
}

export function streamingUnsupported(model: string): FakeApiError {
  return invalidRequest(`Streaming is not supported for model '${model}'.`, 'stream', 'unsupported_value');
}

export function unknownParameter(name: string): FakeApiError {
  return invalidRequest(`Unknown parameter: '${name}'.`, name, 'unknown_parameter');
}

export function missingParameter(name: string): FakeApiError {
  return invalidRequest(`Missing required parameter: '${name}'.`, name, 'missing_required_parameter');
}

/** "Invalid value: 'x'. Supported values are: 'a', 'b', and 'c'." */
export function invalidChoice(param: string, value: unknown, allowed: readonly string[]): FakeApiError {
  const quoted = allowed.map((a) => `'${a}'`);
  const list = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}` : quoted.join('');
  return invalidRequest(`Invalid value: '${String(value)}'. Supported values are: ${list}.`, param, 'invalid_value');
}

export function invalidType(param: string, expected: string, got: unknown): FakeApiError {
  return invalidRequest(`Invalid type for '${param}': expected ${expected}, but got ${describeType(got)} instead.`, param, 'invalid_type');
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal number';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return 'an object';
}

export function belowMin(param: string, min: number, got: number): FakeApiError {
  return invalidRequest(
    `Invalid '${param}': integer below minimum value. Expected a value >= ${min}, but got ${got} instead.`,
    param,
    'integer_below_min_value',
  );
}

export function aboveMax(param: string, max: number, got: number): FakeApiError {
  return invalidRequest(
    `Invalid '${param}': integer above maximum value. Expected a value <= ${max}, but got ${got} instead.`,
    param,
    'integer_above_max_value',
  );
}

export function invalidApiKey(provided: string | undefined): FakeApiError {
  const message = provided
    ? `Incorrect API key provided: ${maskKey(provided)}. You can find your API key at https://platform.openai.com/account/api-keys.`
    : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.";
  return new FakeApiError(401, { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' });
}

/** Like OpenAI: never echo a key back whole. */
function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(Math.min(40, key.length - 7))}${key.slice(-4)}`;
}

export function notFound(method: string, path: string): FakeApiError {
  return new FakeApiError(404, { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', param: null, code: null });
}

export function methodNotAllowed(method: string, path: string): FakeApiError {
  return new FakeApiError(405, {
    message: `Invalid method for URL (${method} ${path})`,
    type: 'invalid_request_error',
    param: null,
    code: null,
  }, { allow: 'POST' });
}

export function rateLimited(model: string, retryAfterSeconds: number): FakeApiError {
  return new FakeApiError(429, {
    message:
      `Rate limit reached for ${model} in organization org-fake on images per minute (IPM): Limit 5, Used 5, Requested 1. ` +
      `Please try again in ${retryAfterSeconds}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
    type: 'requests',
    param: null,
    code: 'rate_limit_exceeded',
  }, {
    'retry-after': String(retryAfterSeconds),
    'x-ratelimit-limit-requests': '5',
    'x-ratelimit-remaining-requests': '0',
    'x-ratelimit-reset-requests': `${retryAfterSeconds}s`,
  });
}

export function serverError(): FakeApiError {
  return new FakeApiError(500, {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    param: null,
    code: null,
  });
}

export function unavailable(): FakeApiError {
  return new FakeApiError(503, {
    message: 'The server is overloaded or not ready yet.',
    type: 'server_error',
    param: null,
    code: null,
  });
}

export function moderationBlocked(): FakeApiError {
  return new FakeApiError(400, {
    message:
      'Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID.',
    type: 'image_generation_user_error',
    param: null,
    code: 'moderation_blocked',
  });
}

export function payloadTooLarge(limitBytes: number): FakeApiError {
  return new FakeApiError(413, {
    message: `Request too large: the body exceeds ${limitBytes} bytes.`,
    type: 'invalid_request_error',
    param: null,
    code: 'request_too_large',
  });
}
