import { Cluster, Redis } from 'ioredis';
import { createRedis } from './redis';

describe('createRedis', () => {
  it('connects to one server unless told the URL is a cluster node', () => {
    const client = createRedis({ url: 'redis://:secret@127.0.0.1:6390/2', cluster: false, options: { lazyConnect: true } });
    expect(client).toBeInstanceOf(Redis);
    expect((client as Redis).options).toMatchObject({ host: '127.0.0.1', port: 6390, db: 2, password: 'secret' });
    client.disconnect();
  });

  it("speaks the cluster protocol with REDIS_CLUSTER, starting from the URL's node with its credentials", () => {
    const client = createRedis({
      url: 'rediss://app:p%40ss@cache.internal:7000',
      cluster: true,
      options: { lazyConnect: true, maxRetriesPerRequest: null },
    });
    expect(client).toBeInstanceOf(Cluster);
    const { options } = client as Cluster;
    expect(options.lazyConnect).toBe(true);
    expect(options.redisOptions).toEqual({ maxRetriesPerRequest: null, username: 'app', password: 'p@ss', tls: {} });
    client.disconnect();
  });
});
