import { z } from 'zod';
import { PLATFORM_PHRASES } from '../platform-phrases';
import { defineTool } from './define-tool';

/** Hands the call to a person. The number dialled is the tenant's own, never one the model chose. */
export const transferToHuman = defineTool({
  name: 'transfer_to_human',
  description: 'Transfer the call to a person at the business.',
  args: z.object({ reason: z.string().max(500).optional().describe('Why the caller needs a person') }),
  guideline: 'When the caller asks for a person, or needs something you cannot do, use transfer_to_human.',
  endsTurn: 'transfer',
  available: (tenant) => Boolean(tenant.transferNumber),
  unavailable: {
    guideline: 'Nobody is available for live transfers; offer to take a message or arrange a callback instead.',
    error: 'no one is available for a transfer; offer to take a message',
  },
  // The turn's answer dials tenant.transferNumber: nothing to do here but say so.
  run: async () => ({
    ok: true,
    action: 'Transferred the call to a person.',
    outcome: 'transferred',
    say: PLATFORM_PHRASES.transferring,
  }),
});
