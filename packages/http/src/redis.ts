import { Cluster, Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';

/** A client of one Redis server, or of a Redis Cluster (keys spread over its nodes by hash slot). */
export type RedisClient = Redis | Cluster;

export interface CreateRedisOptions {
  /** REDIS_URL: the server; with `cluster`, any node of the cluster (the client finds the others). */
  url: string;
  /** REDIS_CLUSTER: speak the cluster protocol (follow the cluster's slot map and its redirects). */
  cluster: boolean;
  /** Options of each connection, e.g. `maxRetriesPerRequest: null` for BullMQ workers. */
  options?: RedisOptions;
}

/**
 * The services' one way to connect to Redis, so that moving from one Redis to a Redis Cluster is
 * a setting (REDIS_CLUSTER=true), not a code change. On a cluster, a command or transaction that
 * touches several keys must keep them in one hash slot: the keys the services use together share a
 * hash tag (`call:{<customerId>}:...`, `tts:{<customerId>}:...`, `{audio:<token>}:text`), and each
 * BullMQ queue needs one in its prefix (MEMORY_QUEUE_PREFIX={memory}, ...; docs/architecture.md §7.4).
 */
export function createRedis({ url, cluster, options = {} }: CreateRedisOptions): RedisClient {
  if (!cluster) return new Redis(url, options);
  const node = new URL(url);
  const { lazyConnect, ...redisOptions } = options;
  return new Cluster([{ host: node.hostname, port: Number(node.port || 6379) }], {
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    redisOptions: {
      ...redisOptions,
      ...(node.username ? { username: decodeURIComponent(node.username) } : {}),
      ...(node.password ? { password: decodeURIComponent(node.password) } : {}),
      ...(node.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  });
}
