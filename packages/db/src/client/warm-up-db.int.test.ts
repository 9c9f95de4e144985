import { freePort } from '@neurosphere/testing';
import { requireTestDatabaseEnv } from '../testing/test-database-env';
import { createDb } from './create-db';
import { warmUpDb } from './warm-up-db';

describe('warmUpDb', () => {
  it('connects as the app role and reports success', async () => {
    const db = createDb({ url: requireTestDatabaseEnv().appUrl });
    try {
      await expect(warmUpDb(db)).resolves.toBe(true);
    } finally {
      await db.$disconnect();
    }
  });

  it('reports an unreachable database instead of throwing', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await freePort();
    const db = createDb({ url: `postgres://nobody:nothing@127.0.0.1:${port}/none` });
    try {
      await expect(warmUpDb(db)).resolves.toBe(false);
    } finally {
      await db.$disconnect();
    }
  });
});
