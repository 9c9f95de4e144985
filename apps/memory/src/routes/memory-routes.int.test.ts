import { uniquePhone, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { startHarness, createTenantWithTemplate, everyRouteOpenTo, publishInsuranceTemplate } from '../../test/harness';

describe('memory records: legacy and V1 API', () => {
  const kit = useHarness(() => startHarness({ callers: everyRouteOpenTo('orchestrator') }));
  let customerId: number;

  const auth = async () => `Bearer ${await kit.token(customerId)}`;

  beforeAll(async () => {
    const template = await publishInsuranceTemplate(kit.platformDb, 'insurance-memories');
    customerId = await createTenantWithTemplate(kit.platformDb, template);
  });

  it('POST /memory/store keeps the original response shape and normalizes the number', async () => {
    const response = await request(kit.app)
      .post('/memory/store')
      .set('authorization', await auth())
      .send({ customer_id: String(customerId), user_id: '(212) 555-0142', content: 'Prefers email.' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, id: expect.stringMatching(/^[0-9a-f-]{36}$/), error: null });
    const listed = await request(kit.app)
      .get(`/v1/memories/user/${encodeURIComponent('+12125550142')}`)
      .query({ customer_id: customerId })
      .set('authorization', await auth());
    expect(listed.body.memories).toEqual([
      expect.objectContaining({ id: response.body.id, user_id: '+12125550142', content: 'Prefers email.', kind: 'fact' }),
    ]);
  });

  it('POST /v1/memories creates, GET pages newest first with a cursor, DELETE removes', async () => {
    const caller = uniquePhone();
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      const created = await request(kit.app)
        .post('/v1/memories')
        .set('authorization', await auth())
        .send({ customer_id: customerId, user_id: caller, content: `note ${index}`, kind: 'note', metadata: { index } });
      expect(created.status).toBe(201);
      expect(created.body.memory).toEqual(
        expect.objectContaining({ customer_id: customerId, user_id: caller, content: `note ${index}`, kind: 'note', metadata: { index } }),
      );
      ids.push(created.body.memory.id);
    }

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await request(kit.app)
        .get('/v1/memories')
        .query({ customer_id: customerId, user_id: caller, limit: 2, ...(cursor ? { cursor } : {}) })
        .set('authorization', await auth());
      expect(page.status).toBe(200);
      pages.push(page.body.memories.map((memory: { content: string }) => memory.content));
      cursor = page.body.next_cursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual([['note 4', 'note 3'], ['note 2', 'note 1'], ['note 0']]);

    const bad = await request(kit.app)
      .get('/v1/memories')
      .query({ customer_id: customerId, cursor: 'garbage' })
      .set('authorization', await auth());
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ path: 'query.cursor', message: 'not a cursor returned by this API' }]);

    const deleted = await request(kit.app)
      .delete(`/v1/memories/${ids[0]}`)
      .query({ customer_id: customerId })
      .set('authorization', await auth());
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ success: true, id: ids[0] });
    const again = await request(kit.app)
      .delete(`/v1/memories/${ids[0]}`)
      .query({ customer_id: customerId })
      .set('authorization', await auth());
    expect(again.status).toBe(404);
  });

  it('answers an unknown caller with an empty, valid context', async () => {
    const response = await request(kit.app)
      .post('/v2/context/enriched')
      .set('authorization', await auth())
      .send({ customer_id: customerId, user_id: uniquePhone() });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: true,
      customer_id: customerId,
      user_id: expect.any(String),
      known_caller: false,
      quick_bio: null,
      recent_summaries: [],
      known_facts: {},
      caller_name: null,
      personality: null,
      prompt_context: '',
      recent_memories: [],
    });
  });
});
