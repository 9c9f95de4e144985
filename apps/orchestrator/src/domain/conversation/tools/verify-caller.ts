import { z } from 'zod';
import { detailMatches, namesMatch } from '../../callers/match-caller-identity';
import { defineTool } from './define-tool';

/** Failed attempts after which stored details stay locked for the rest of the call. */
export const MAX_VERIFICATION_ATTEMPTS = 3;

/**
 * Unlocks what is stored about a caller: the name (and, by the tenant's policy, one stored detail)
 * the caller gave is compared with the profile here, in code. The model never sees the stored
 * values, only whether they matched; once they do, the call is marked verified and the next
 * prompt (this turn's reply included) carries the caller's memory.
 */
export const verifyCaller = defineTool({
  name: 'verify_caller',
  description: 'Check the name and detail the caller gave against what is on file, before using anything stored about them.',
  args: z.object({
    full_name: z
      .string()
      .trim()
      .min(1, 'full_name is required: ask the caller for their first and last name')
      .max(200)
      .describe('The caller’s full name, as they said it'),
    detail: z
      .string()
      .trim()
      .max(200)
      .nullable()
      .describe(
        'The detail the caller gave to prove who they are (e.g. their city or date of birth), as they said it; null if none was asked',
      ),
  }),
  guideline:
    'Use verify_caller with what the caller said before you use or confirm anything stored about them; never say what is on file before it succeeds.',
  endsTurn: false,
  sideEffect: true,
  available: (call) => call.verification.status === 'unverified',
  async run(context, args) {
    const { call } = context;
    const { verification, callerContext, tenant } = call;
    if (verification.status === 'verified') return { ok: true, reply: { verified: true } };
    if (verification.status !== 'unverified') {
      return { ok: false, error: 'the caller cannot be verified on this call; offer to take a message or arrange a callback' };
    }
    const needsDetail = tenant.callerVerification === 'name_and_fact';
    if (needsDetail && !args.detail) {
      const labels = callerContext.facts.map((fact) => fact.label).join(', ');
      return {
        ok: false,
        error: `a detail is required as well: ask the caller for one of these: ${labels || 'a detail from an earlier call'}`,
      };
    }
    const nameMatches = callerContext.name !== null && namesMatch(args.full_name, callerContext.name);
    const detailOk = !needsDetail || callerContext.facts.some((fact) => detailMatches(args.detail ?? '', fact.value));
    if (nameMatches && detailOk) {
      verification.status = 'verified';
      return { ok: true, action: 'Verified the caller’s identity.', reply: { verified: true } };
    }
    verification.failedAttempts += 1;
    if (verification.failedAttempts >= MAX_VERIFICATION_ATTEMPTS) {
      verification.status = 'locked';
      return {
        ok: false,
        error:
          'this does not match what is on file, and the attempts are used up: stored details stay locked for this call; offer to take a message or arrange a callback',
      };
    }
    // Never which part failed: that would tell a stranger which half they got right.
    return {
      ok: false,
      error: 'this does not match what is on file; do not hint at what is stored. The caller may try once more, or you can take a message',
    };
  },
});
