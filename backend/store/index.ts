// Public surface of the store. Deliberately leaves out redis-store (ioredis, Node-only):
// createStoreFromEnv loads it on demand, so importing this module is safe on Workers.
export type { Store } from './store';
export { createStoreFromEnv } from './from-env';
export { MemoryStore } from './memory-store';
