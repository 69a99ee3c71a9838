// Stands in for ../store/redis-store in the Workers bundle: ioredis needs Node's TCP sockets,
// which Workers lack. Choosing FRAMEFILL_STORE=redis there gets a one-line reason instead.
import { ConfigError } from '../errors';

export class RedisStore {
  constructor() {
    throw new ConfigError('FRAMEFILL_STORE=redis is not available on Cloudflare Workers (no TCP sockets): use FRAMEFILL_STORE=upstash with UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN.');
  }
}
