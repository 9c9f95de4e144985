import { createToolTestRuntime, testTenantSnapshot, testToolCall } from '../../../../test/call-fixtures';
import type { ToolCall } from './define-tool';
import { MAX_VERIFICATION_ATTEMPTS, verifyCaller } from './verify-caller';

const tools = createToolTestRuntime();
afterAll(() => tools.close());

function unverified(policy: 'name' | 'name_and_fact' = 'name_and_fact'): ToolCall {
  return testToolCall({
    tenant: testTenantSnapshot({ callerVerification: policy }),
    callerContext: {
      knownCaller: true,
      promptContext: 'Caller: Ana Lopez | Springfield | Client since 2019',
      name: 'Ana Lopez',
      facts: [
        { label: 'City', value: 'Springfield' },
        { label: 'Date of birth', value: '1980-03-03' },
      ],
    },
    verification: { status: 'unverified', failedAttempts: 0 },
  });
}

const verify = (call: ToolCall, full_name: string, detail: string | null) =>
  verifyCaller.run(tools.context({ call }), { full_name, detail });

describe('verify_caller', () => {
  it('marks the call verified when the name and one stored detail match, and tells the model nothing stored', async () => {
    const call = unverified();
    await expect(verify(call, 'ana lopez', 'born March 3rd, 1980')).resolves.toEqual({
      ok: true,
      action: 'Verified the caller’s identity.',
      reply: { verified: true },
    });
    expect(call.verification).toEqual({ status: 'verified', failedAttempts: 0 });
  });

  it('refuses a wrong name or a wrong detail the same way, without hinting at what is stored', async () => {
    const wrongDetail = unverified();
    const wrongName = unverified();
    const first = await verify(wrongDetail, 'Ana Lopez', 'Shelbyville');
    const second = await verify(wrongName, 'Maria Gonzalez', 'Springfield');
    expect(first).toEqual(second);
    expect(first).toEqual({ ok: false, error: expect.stringContaining('does not match what is on file') });
    for (const stored of ['Springfield', '1980', 'Ana']) expect(JSON.stringify(first)).not.toContain(stored);
    expect(wrongDetail.verification).toEqual({ status: 'unverified', failedAttempts: 1 });
  });

  it('locks stored details for the call after too many failed attempts', async () => {
    const call = unverified();
    for (let attempt = 1; attempt < MAX_VERIFICATION_ATTEMPTS; attempt++) await verify(call, 'Someone Else', 'Nowhere');
    await expect(verify(call, 'Someone Else', 'Nowhere')).resolves.toEqual({
      ok: false,
      error: expect.stringContaining('attempts are used up'),
    });
    expect(call.verification.status).toBe('locked');
    // The right answer no longer helps on this call.
    await expect(verify(call, 'Ana Lopez', 'Springfield')).resolves.toEqual({
      ok: false,
      error: expect.stringContaining('cannot be verified on this call'),
    });
    expect(verifyCaller.available?.(call, new Date())).toBe(false);
  });

  it('asks for a detail under the name-and-fact policy, and needs only the name under the name policy', async () => {
    await expect(verify(unverified(), 'Ana Lopez', null)).resolves.toEqual({
      ok: false,
      error: 'a detail is required as well: ask the caller for one of these: City, Date of birth',
    });
    const nameOnly = unverified('name');
    await expect(verify(nameOnly, 'Ana Lopez', null)).resolves.toEqual(expect.objectContaining({ ok: true }));
    expect(nameOnly.verification.status).toBe('verified');
  });
});
