import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { normalizePhone } from '@neurosphere/contracts';
import { maskPhone } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import twilio from 'twilio';
import { WebSocketServer } from 'ws';
import type { OrchestratorClient } from '../clients/orchestrator-client';
import type { RelayClient } from '../clients/relay-client';
import type { NumberDirectory } from '../domain/tenant/number-directory';
import type { NumberOwner } from '../domain/tenant/resolve-number-owner';
import type { GatewayMetrics } from '../metrics';
import { RELAY_SOCKET_PATH, relaySocketOrigin } from './render-relay-twiml';
import { RelaySession } from './relay-session';
import type { RelayLimits } from './relay-session';

/** A prompt over this many bytes closes the socket (1009): no caller says 64 KB in one turn. */
export const MAX_RELAY_MESSAGE_BYTES = 64 * 1024;

export interface RelaySocketServerDeps {
  logger: Logger;
  publicBaseUrl: string;
  platformAuthToken: string;
  numbers: NumberDirectory;
  relay: RelayClient;
  orchestrator: OrchestratorClient;
  metrics: GatewayMetrics;
  limits: RelayLimits;
}

export interface RelaySocketServer {
  /** Handles the HTTP server's upgrade requests for the relay path (others get 404). */
  attach(server: Server): void;
  /** Open relay sessions on this instance. */
  openSessions(): number;
  /** Closes every session (1001, going away) and the WebSocket server. */
  close(): Promise<void>;
}

/**
 * The public WebSocket endpoint of ConversationRelay, on the gateway's HTTP server. Before a
 * socket is accepted, the handshake's X-Twilio-Signature is checked the way webhooks are: the
 * number in the URL picks the account (platform, or the tenant's own for BYOK) whose token signed
 * the URL Twilio called, with no parameters. A missing or wrong signature gets HTTP 403 and no
 * socket; a number no tenant owns gets 404.
 */
export function createRelaySocketServer(deps: RelaySocketServerDeps): RelaySocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_RELAY_MESSAGE_BYTES, perMessageDeflate: false });
  const sessions = new Set<RelaySession>();

  const reject = (socket: Duplex, status: number, text: string, reason: string, extra: object = {}) => {
    deps.metrics.relayRejected.inc({ reason });
    deps.logger.warn({ event: 'relay_rejected', reason, status, ...extra }, `relay handshake refused: ${text}`);
    const body = JSON.stringify({
      success: false,
      error: text,
      code: status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : 'UNAVAILABLE',
    });
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  };

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    if (url.pathname !== RELAY_SOCKET_PATH) return reject(socket, 404, 'Not Found', 'unknown_path');
    const signature = req.headers['x-twilio-signature'];
    if (typeof signature !== 'string' || !signature) return reject(socket, 403, 'Forbidden', 'signature_missing');
    const number = normalizePhone(url.searchParams.get('number') ?? '');
    const callSid = url.searchParams.get('call') ?? '';
    if (!number || !callSid) return reject(socket, 403, 'Forbidden', 'signature_mismatch');

    let owner: NumberOwner | null;
    try {
      owner = await deps.numbers.find(number);
    } catch (error) {
      deps.logger.error(
        { event: 'degraded', dependency: 'postgres', number: maskPhone(number), err: error },
        'number lookup failed for a relay socket',
      );
      return reject(socket, 503, 'Service Unavailable', 'lookup_failed');
    }
    const authToken = owner ? owner.twilioAuthToken : deps.platformAuthToken;
    const signedUrl = relaySocketOrigin(deps.publicBaseUrl) + (req.url ?? '');
    if (!authToken || !twilio.validateRequest(authToken, signature, signedUrl, {})) {
      return reject(socket, 403, 'Forbidden', 'signature_mismatch', {
        customerId: owner?.customerId,
        account: owner?.twilioAccount ?? 'platform',
      });
    }
    if (!owner) return reject(socket, 404, 'Not Found', 'unknown_number', { number: maskPhone(number) });
    const verifiedOwner = owner;

    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new RelaySession({
        socket: ws,
        owner: verifiedOwner,
        callSid,
        relay: deps.relay,
        orchestrator: deps.orchestrator,
        metrics: deps.metrics,
        limits: deps.limits,
        log: deps.logger.child({ customer_id: verifiedOwner.customerId, callSid }),
        onClosed: () => sessions.delete(session),
      });
      sessions.add(session);
      session.start();
    });
  }

  return {
    attach(server) {
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        socket.on('error', () => socket.destroy());
        upgrade(req, socket, head).catch((error: unknown) => {
          deps.logger.error({ err: error }, 'relay upgrade failed');
          socket.destroy();
        });
      });
    },
    openSessions: () => sessions.size,
    async close() {
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
