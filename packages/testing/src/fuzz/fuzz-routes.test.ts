import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { contractRoutes, fuzzService, sendFuzzRequest, wireErrorProblems } from './fuzz-routes';
import type { FuzzReport, FuzzServiceOptions } from './fuzz-routes';

const STATUS_BY_CODE = { BAD_REQUEST: 400, VALIDATION_FAILED: 400, INTERNAL: 500 };
const router = {
  things: {
    create: {
      method: 'POST',
      path: '/things/:id',
      pathParams: z.object({ id: z.string() }),
      body: z.object({ name: z.string().min(1), count: z.number().int() }),
    },
  },
};

/** A tiny service whose answer to every request `behave` decides; it "writes" by bumping `rows`. */
function fuzzWith(behave: (res: ServerResponse, state: { rows: number }) => void): Promise<FuzzReport> {
  const state = { rows: 0 };
  const app = (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => behave(res, state));
  };
  const options: FuzzServiceOptions = {
    routes: contractRoutes(router),
    seed: 1,
    generatedPerRoute: 3,
    statusByCode: STATUS_BY_CODE,
    validParams: () => ({ id: 'a' }),
    send: ({ route }, fuzzRequest) => sendFuzzRequest(app, route.method, fuzzRequest),
    snapshot: async () => String(state.rows),
  };
  return fuzzService(options);
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('fuzzService', () => {
  it('walks nested routers', () => {
    expect(contractRoutes(router).map((route) => route.key)).toEqual(['things.create']);
  });

  it('passes a service that refuses cleanly and writes nothing', async () => {
    const report = await fuzzWith((res) =>
      json(res, 400, {
        success: false,
        error: 'Invalid body.name: Required',
        code: 'VALIDATION_FAILED',
        details: [{ path: 'body.name', message: 'Required' }],
      }),
    );
    expect(report.problems).toEqual([]);
    expect(report.sent).toBe(report.refused);
    expect(report.sent).toBeGreaterThan(8);
  });

  it('reports a 5xx', async () => {
    const report = await fuzzWith((res) => json(res, 500, { success: false, error: 'Internal server error', code: 'INTERNAL' }));
    expect(report.problems[0]).toMatch(/things\.create .* answered 500/);
  });

  it('reports a refusal that writes', async () => {
    const report = await fuzzWith((res, state) => {
      state.rows += 1;
      json(res, 400, { success: false, error: 'Bad', code: 'BAD_REQUEST' });
    });
    expect(report.problems.filter((problem) => problem.endsWith('refused with 400 but rows were written')).length).toBe(report.sent);
  });

  it('does not mind a write that was accepted', async () => {
    const report = await fuzzWith((res, state) => {
      state.rows += 1;
      json(res, 201, { success: true });
    });
    expect(report.problems).toEqual([]);
  });
});

describe('wireErrorProblems', () => {
  it('accepts the one error shape', () => {
    expect(
      wireErrorProblems(
        { status: 400, body: { success: false, error: 'Request body is not valid JSON', code: 'BAD_REQUEST' }, text: '' },
        STATUS_BY_CODE,
      ),
    ).toEqual([]);
  });

  it.each([
    ['an empty body', {}, 400],
    ['express default HTML', 'Bad Request', 400],
    ['a code that does not match the status', { success: false, error: 'x', code: 'BAD_REQUEST' }, 404],
    ['an unknown code', { success: false, error: 'x', code: 'OOPS' }, 400],
    ['a validation failure naming no field', { success: false, error: 'Invalid', code: 'VALIDATION_FAILED' }, 400],
    ['an empty message', { success: false, error: ' ', code: 'BAD_REQUEST' }, 400],
    ['extra keys', { success: false, error: 'x', code: 'BAD_REQUEST', stack: 'at ...' }, 400],
  ])('refuses %s', (_name, body, status) => {
    expect(wireErrorProblems({ status, body, text: '' }, STATUS_BY_CODE)).not.toEqual([]);
  });
});
