import { randomUUID } from 'node:crypto';
import { createTestTenant } from '@neurosphere/db/testing';
import { createQueue } from '@neurosphere/jobs';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { buildApp } from '../src/app';
import { QUEUE_VIEW_PATH } from '../src/routes/queue-view';
import { bearer, createAdmin, startHarness } from './harness';
import type { Harness } from './harness';

describe('operator queue view (Bull Board)', () => {
  let harness: Harness;
  let queue: Queue;
  let app: ReturnType<typeof buildApp>;

  beforeAll(() => {
    harness = startHarness();
    queue = createQueue('memory', { connection: harness.queueRedis, prefix: `test-queue-view-${randomUUID()}` });
    app = buildApp({ ...harness.appDeps, operatorQueues: [queue] });
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await harness.close();
  });

  const pages = [QUEUE_VIEW_PATH, `${QUEUE_VIEW_PATH}/api/queues`];

  it.each(pages)('refuses %s without a session (401)', async (path) => {
    const response = await request(app).get(path);
    expect(response.status).toBe(401);
    expect(response.body).toEqual(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });

  it.each(pages)("refuses %s to a tenant's owner (403)", async (path) => {
    const { customerId } = await createTestTenant(harness.platformDb);
    const owner = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'owner' }] }));
    const response = await request(app).get(path).set('authorization', owner);
    expect(response.status).toBe(403);
    expect(response.body).toEqual(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(JSON.stringify(response.body)).not.toContain('memory');
  });

  it('shows a platform admin the board and its queues, read-only', async () => {
    const platformAdmin = await bearer(harness.tokens, await createAdmin(harness.platformDb, { isPlatformAdmin: true }));
    const page = await request(app).get(QUEUE_VIEW_PATH).set('authorization', platformAdmin);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);

    const api = await request(app).get(`${QUEUE_VIEW_PATH}/api/queues`).set('authorization', platformAdmin);
    expect(api.status).toBe(200);
    const names = (api.body as { queues: { name: string; readOnlyMode: boolean }[] }).queues.map(({ name, readOnlyMode }) => ({
      name,
      readOnlyMode,
    }));
    expect(names).toEqual([{ name: 'memory', readOnlyMode: true }]);
  });

  it('is not mounted without operator queues', async () => {
    const platformAdmin = await bearer(harness.tokens, await createAdmin(harness.platformDb, { isPlatformAdmin: true }));
    expect((await request(harness.app).get(QUEUE_VIEW_PATH).set('authorization', platformAdmin)).status).toBe(404);
  });
});
