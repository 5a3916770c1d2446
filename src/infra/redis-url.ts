import type { AppConfig } from '../../config/env.schema.ts';
import { startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.ts';

/** REDIS_URL when set; otherwise a redis-server the service runs itself, with AOF in DATA_DIR. */
export async function resolveRedis(config: Pick<AppConfig, 'redisUrl' | 'dataDir'>): Promise<EmbeddedRedis> {
  if (config.redisUrl) return { url: config.redisUrl, stop: async () => {} };
  return startEmbeddedRedis(config.dataDir);
}
