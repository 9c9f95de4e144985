import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { joinAreas } from './join-areas';

const c = initContract();
const route = (path: string) => ({ method: 'GET', path, responses: { 200: z.object({}) } }) as const;

describe('joinAreas', () => {
  it('keeps every route of every area, in order', () => {
    const joined = joinAreas('tenant', c.router({ listCalls: route('/calls') }), c.router({ listCallers: route('/callers') }));
    expect(Object.keys(joined)).toEqual(['listCalls', 'listCallers']);
    expect(joined.listCallers.path).toBe('/callers');
  });

  it('refuses a route name that two areas both use', () => {
    expect(() =>
      joinAreas('tenant', c.router({ listSessions: route('/sessions') }), c.router({ listSessions: route('/support-sessions') })),
    ).toThrow('admin contract: two "tenant" areas both name a route "listSessions"');
  });
});
