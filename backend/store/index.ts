// Public surface of the store. Deliberately leaves out redis-store (ioredis, Node-only):
// createStoreFromEnv loads it on demand, so importing this module is safe on Workers.
export type { PutOptions, Store, StoreOptions } from './store';
export { createStoreFromEnv, STORE_KINDS, type StoreKind } from './from-env';
export { DEFAULT_MAX_EVICTABLE_BYTES, MemoryStore, type MemoryStoreOptions } from './memory-store';
export { UpstashStore, UpstashCommandError, type UpstashStoreOptions } from './upstash-store';
