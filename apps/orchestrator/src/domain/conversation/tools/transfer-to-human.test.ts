import { createToolTestRuntime, testTenantSnapshot, testToolCall } from '../../../../test/call-fixtures';
import { transferToHuman } from './transfer-to-human';

const tools = createToolTestRuntime();
afterAll(() => tools.close());

/** Monday 2026-12-07 in New York: 10:30 and 19:00. */
const mondayMorning = new Date('2026-12-07T15:30:00Z');
const mondayEvening = new Date('2026-12-08T00:00:00Z');
const hoursTenant = testTenantSnapshot({
  timeZone: 'America/New_York',
  transferNumber: '+12125550150',
  businessHours: { weekly: { mon: [{ open: '09:00', close: '17:00' }] }, holidays: [] },
  transferSchedule: [{ days: ['mon'], from: '09:00', to: '12:00', number: '+12125550199' }],
});

describe('transfer_to_human', () => {
  it('is offered only when someone can take the call: a number for now, within business hours, not after a failed transfer', () => {
    const available = (call: Parameters<NonNullable<typeof transferToHuman.available>>[0], now = mondayMorning) =>
      transferToHuman.available?.(call, now);
    expect(available(testToolCall({ tenant: testTenantSnapshot({ transferNumber: '+12125550150' }) }))).toBe(true);
    expect(available(testToolCall({ tenant: testTenantSnapshot({ transferNumber: null }) }))).toBe(false);
    expect(available(testToolCall({ tenant: hoursTenant }))).toBe(true);
    expect(available(testToolCall({ tenant: hoursTenant }), mondayEvening)).toBe(false);
    expect(available(testToolCall({ tenant: hoursTenant, transferFailed: true }))).toBe(false);
    const messagesOnly = { ...testTenantSnapshot({ transferNumber: '+12125550150' }), afterHoursMode: 'messages_only' as const };
    expect(available(testToolCall({ tenant: messagesOnly, afterHours: true }))).toBe(false);
  });

  it("ends the turn with a transfer to the schedule's number for now, and a whisper saying who calls and why", async () => {
    expect(transferToHuman.endsTurn).toBe('transfer');
    const call = testToolCall({ tenant: hoursTenant, callerPhone: '+12125550123' });
    const args = transferToHuman.args.parse({ reason: 'Wants to discuss a bill', caller_name: 'Sam Jones' });
    await expect(transferToHuman.run(tools.context({ call, now: mondayMorning }), args)).resolves.toEqual({
      ok: true,
      action: 'Transferred the call to a person.',
      outcome: 'transferred',
      say: 'One moment while I connect you.',
      transfer: {
        number: '+12125550199',
        whisper: 'Call for Example Dental from Sam Jones at 2 1 2, 5 5 5, 0 1 2 3. Wants to discuss a bill. Connecting you now.',
      },
    });
    // After noon the schedule has no rule: the tenant's transfer number.
    const afternoon = await transferToHuman.run(tools.context({ call, now: new Date('2026-12-07T19:00:00Z') }), args);
    expect(afternoon).toEqual(expect.objectContaining({ transfer: expect.objectContaining({ number: '+12125550150' }) }));
  });

  it('refuses when nobody can take it at this moment', async () => {
    const call = testToolCall({ tenant: hoursTenant });
    await expect(
      transferToHuman.run(tools.context({ call, now: mondayEvening }), { reason: 'wants a person', caller_name: null }),
    ).resolves.toEqual({
      ok: false,
      error: 'no one is available for a transfer right now; offer to take a message',
    });
  });
});
