import type { orchestratorContract, relayContract } from '@neurosphere/contracts';
import type { RouteCallers } from '@neurosphere/http';

type CallRoutes = Omit<typeof orchestratorContract, 'health' | 'audio'> & typeof relayContract;

/**
 * Which services may call each orchestrator route: the services whose clients call it today
 * (docs/architecture.md §5.1). Any other service is refused: 401 when it calls no orchestrator
 * route at all, 403 otherwise. A new caller is one line here, added with its client. `audio` takes
 * no service token: Twilio fetches it through the gateway, and its unguessable, expiring token is
 * the credential.
 */
export const ORCHESTRATOR_CALLERS = {
  // gateway: every voice webhook of a call (apps/gateway/src/clients/orchestrator-client.ts).
  startCall: ['gateway'],
  turn: ['gateway'],
  endCall: ['gateway'],
  transferResult: ['gateway'],
  // gateway: the streaming voice path, one call's ConversationRelay socket (apps/gateway/src/clients/relay-client.ts).
  startRelayCall: ['gateway'],
  relaySetup: ['gateway'],
  relayPrompt: ['gateway'],
  relayInterrupt: ['gateway'],
  // admin-api: the voice preview of the agent settings (apps/admin-api/src/clients/).
  voicePreview: ['admin-api'],
} as const satisfies RouteCallers<CallRoutes>;
