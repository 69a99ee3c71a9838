// Public surface of the store. Deliberately leaves out redis-store (ioredis, Node-only):
// createStoreFromEnv loads it on demand, so importing this module is safe on Workers.
export type { Store, StoreOptions } from './store';
export { createStoreFromEnv, STORE_KINDS, type StoreKind } from './from-env';
export { MemoryStore, type MemoryStoreOptions } from './memory-store';
export { UpstashStore, UpstashCommandError, type UpstashStoreOptions } from './upstash-store';
