// The one error type for an unusable configuration (env vars, store settings), in its own
// module so config.ts, limits.ts and store/from-env.ts can share it without import cycles.

/** The configuration cannot be used; `message` is one line meant for whoever runs the backend. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
