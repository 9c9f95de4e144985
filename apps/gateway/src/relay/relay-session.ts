import type { RelayHandoff, RelayInput } from '@neurosphere/contracts';
import { UpstreamError } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import type { WebSocket } from 'ws';
import type { OrchestratorClient } from '../clients/orchestrator-client';
import type { RelayClient } from '../clients/relay-client';
import type { NumberOwner } from '../domain/tenant/resolve-number-owner';
import type { GatewayMetrics } from '../metrics';
import { RELAY_CLOSE, TWILIO_RELAY_MESSAGE_TYPES, twilioRelayMessageSchema } from './twilio-relay-messages';
import type { GatewayRelayMessage, TwilioRelayMessage } from './twilio-relay-messages';

/** What the gateway says itself when the orchestrator cannot answer a relay turn (neutral platform wording). */
export const RELAY_FALLBACK_TEXT = 'Sorry, I am having trouble right now.';

export interface RelayLimits {
  /** Messages per second a session may send; more closes it (4429). */
  maxMessagesPerSecond: number;
  /** No `setup` this long after the upgrade closes the socket. */
  setupTimeoutMs: number;
  /** After the agent finished speaking, this long without a prompt is silence (the agent re-prompts); 0 disables it. */
  silenceTimeoutMs: number;
}

export interface RelaySessionOptions {
  socket: WebSocket;
  owner: NumberOwner;
  /** The call the socket's signed URL names. */
  callSid: string;
  relay: RelayClient;
  orchestrator: OrchestratorClient;
  metrics: GatewayMetrics;
  limits: RelayLimits;
  log: Logger;
  /** Called once when the socket is gone. */
  onClosed: () => void;
}

/**
 * One call's ConversationRelay socket. Messages are handled in the order they arrive; each final
 * prompt (or key, or silence) becomes one streamed orchestrator turn whose tokens go to Twilio as
 * they come. A new prompt or an interrupt aborts the turn in flight; the next orchestrator request
 * waits until the aborted one is done, so the call state sees them in order. Bad input closes this
 * socket only, with a close code naming the problem.
 */
export class RelaySession {
  private setupDone = false;
  private ended = false;
  private inFlight: AbortController | null = null;
  /** Orchestrator requests of this call, one after the other. */
  private queue: Promise<void> = Promise.resolve();
  private windowStartedAt = Date.now();
  private messagesInWindow = 0;
  private setupTimer: NodeJS.Timeout | undefined;
  private silenceTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RelaySessionOptions) {}

  start(): void {
    const { socket } = this.options;
    this.setupTimer = setTimeout(
      () => this.close(RELAY_CLOSE.protocol, 'no setup message', 'setup_timeout'),
      this.options.limits.setupTimeoutMs,
    );
    socket.on('message', (data, isBinary) => this.onMessage(data.toString(), isBinary));
    socket.on('error', (error: Error & { code?: string }) => {
      // The ws library closes the socket itself (1009 for a message over maxPayload).
      const reason = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'too_large' : 'socket_error';
      this.options.metrics.relayRejected.inc({ reason });
      this.options.log.warn({ event: 'relay_rejected', reason, callSid: this.options.callSid, err: error }, 'relay socket error');
    });
    socket.on('close', () => this.onClose());
  }

  private send(message: GatewayRelayMessage): void {
    if (this.options.socket.readyState === this.options.socket.OPEN) this.options.socket.send(JSON.stringify(message));
  }

  private close(code: number, reason: string, metric: string): void {
    this.options.metrics.relayRejected.inc({ reason: metric });
    this.options.log.warn(
      { event: 'relay_rejected', reason: metric, code, callSid: this.options.callSid },
      `relay socket closed: ${reason}`,
    );
    this.options.socket.close(code, reason);
  }

  /** A fixed one-second window, counted synchronously so messages keep their order. */
  private flooded(): boolean {
    const now = Date.now();
    if (now - this.windowStartedAt >= 1000) {
      this.windowStartedAt = now;
      this.messagesInWindow = 0;
    }
    this.messagesInWindow += 1;
    return this.messagesInWindow > this.options.limits.maxMessagesPerSecond;
  }

  private onMessage(raw: string, isBinary: boolean): void {
    if (this.ended) return;
    if (this.flooded()) return this.close(RELAY_CLOSE.flood, 'too many messages', 'flood');
    if (isBinary) return this.close(RELAY_CLOSE.binary, 'binary messages are not part of the protocol', 'binary');
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return this.close(RELAY_CLOSE.invalidPayload, 'message is not JSON', 'not_json');
    }
    const type = typeof json === 'object' && json !== null && 'type' in json ? String(json.type) : '';
    if (!TWILIO_RELAY_MESSAGE_TYPES.has(type))
      return this.close(RELAY_CLOSE.protocol, `unknown message type: ${type.slice(0, 40) || '(none)'}`, 'unknown_type');
    const parsed = twilioRelayMessageSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return this.close(
        RELAY_CLOSE.invalidPayload,
        `invalid ${type}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.slice(0, 120),
        'invalid_message',
      );
    }
    const message = parsed.data;
    if (!this.setupDone && message.type !== 'setup') return this.close(RELAY_CLOSE.protocol, 'setup must come first', 'before_setup');
    this.handle(message);
  }

  private handle(message: TwilioRelayMessage): void {
    const { owner, callSid, log } = this.options;
    switch (message.type) {
      case 'setup':
        if (this.setupDone) return this.close(RELAY_CLOSE.protocol, 'setup sent twice', 'duplicate_setup');
        if (message.callSid !== callSid) return this.close(RELAY_CLOSE.protocol, 'setup is for another call', 'wrong_call');
        this.setupDone = true;
        clearTimeout(this.setupTimer);
        this.enqueue(() => this.confirmSetup(message.sessionId));
        return;
      case 'prompt':
        // Partial prompts (partialPrompts="true") are progress; only the final one is the caller's turn.
        if (!message.last) return;
        if (!message.voicePrompt.trim()) return;
        return this.takeTurn({ type: 'speech', text: message.voicePrompt });
      case 'dtmf':
        return this.takeTurn({ type: 'dtmf', digit: message.digit });
      case 'interrupt': {
        this.abortInFlight();
        const heard = message.utteranceUntilInterrupt;
        this.enqueue(() =>
          this.options.relay
            .interrupt({
              customerId: owner.customerId,
              callSid,
              utteranceUntilInterrupt: heard,
              durationUntilInterruptMs: message.durationUntilInterruptMs,
            })
            .catch((error: unknown) => this.orchestratorFailed('relay_interrupt', error)),
        );
        return;
      }
      case 'error':
        this.options.metrics.relaySessions.inc({ event: 'twilio_error' });
        log.warn(
          { event: 'relay_twilio_error', customerId: owner.customerId, callSid, description: message.description.slice(0, 500) },
          'ConversationRelay reported an error',
        );
        return;
    }
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work, work);
  }

  private abortInFlight(): void {
    this.inFlight?.abort();
    this.inFlight = null;
  }

  private async confirmSetup(sessionId: string): Promise<void> {
    const { owner, callSid } = this.options;
    try {
      await this.options.relay.setup({ customerId: owner.customerId, callSid, sessionId });
      this.options.metrics.relaySessions.inc({ event: 'setup' });
    } catch (error) {
      if (error instanceof UpstreamError && error.reason === 'not_found') {
        this.setupDone = false;
        return this.close(RELAY_CLOSE.unknownCall, 'unknown call', 'unknown_call');
      }
      this.orchestratorFailed('relay_setup', error);
    }
  }

  private takeTurn(input: RelayInput): void {
    clearTimeout(this.silenceTimer);
    // The caller spoke again while the agent was still answering: the newer turn wins.
    this.abortInFlight();
    const controller = new AbortController();
    this.inFlight = controller;
    this.enqueue(() => this.streamTurn(input, controller));
  }

  private async streamTurn(input: RelayInput, controller: AbortController): Promise<void> {
    if (controller.signal.aborted || this.ended) return;
    const { owner, callSid } = this.options;
    try {
      for await (const event of this.options.relay.prompt({ customerId: owner.customerId, callSid, input, signal: controller.signal })) {
        if (controller.signal.aborted) return;
        if (event.type === 'text') this.send({ type: 'text', token: event.token, last: event.last });
        else if (event.type === 'digits') this.send({ type: 'sendDigits', digits: event.digits });
        else return this.endSession(event.handoff, 'agent');
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      return this.orchestratorFailed('relay_prompt', error);
    } finally {
      if (this.inFlight === controller) this.inFlight = null;
    }
    if (!controller.signal.aborted) this.armSilenceTimer();
  }

  private armSilenceTimer(): void {
    const { silenceTimeoutMs } = this.options.limits;
    if (silenceTimeoutMs <= 0 || this.ended) return;
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => this.takeTurn({ type: 'silence' }), silenceTimeoutMs);
  }

  /**
   * The orchestrator could not be asked: the caller hears the gateway's own sentence and the
   * session ends with a `fallback` handoff, which the `<Connect action>` answers with the
   * gather path's degraded answer (the tenant's transfer number, or an apology).
   */
  private orchestratorFailed(operation: string, error: unknown): void {
    if (this.ended) return;
    const reason = error instanceof UpstreamError ? error.reason : 'internal';
    this.options.metrics.orchestratorUnavailable.inc({ operation, reason });
    this.options.log.error(
      {
        event: 'degraded',
        dependency: 'orchestrator',
        operation,
        reason,
        customerId: this.options.owner.customerId,
        callSid: this.options.callSid,
        err: error,
      },
      `orchestrator ${operation} failed; relay session handed to the fallback`,
    );
    this.send({ type: 'text', token: RELAY_FALLBACK_TEXT, last: true });
    this.endSession({ reason: 'fallback' }, 'fallback');
  }

  private endSession(handoff: RelayHandoff, metric: string): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.silenceTimer);
    this.options.metrics.relaySessions.inc({ event: `ended_${metric}` });
    this.send({ type: 'end', handoffData: JSON.stringify(handoff) });
  }

  /** Twilio closed the socket. Without an `end` from us first, the caller hung up (or the line dropped): the call is over. */
  private onClose(): void {
    clearTimeout(this.setupTimer);
    clearTimeout(this.silenceTimer);
    this.abortInFlight();
    const { owner, callSid } = this.options;
    if (this.setupDone && !this.ended) {
      this.ended = true;
      this.options.metrics.relaySessions.inc({ event: 'dropped' });
      this.enqueue(() =>
        this.options.orchestrator.endCall({ customerId: owner.customerId, callSid, status: 'completed' }).catch((error: unknown) => {
          const reason = error instanceof UpstreamError ? error.reason : 'internal';
          this.options.metrics.orchestratorUnavailable.inc({ operation: 'end', reason });
          this.options.log.error(
            { event: 'degraded', dependency: 'orchestrator', operation: 'end', reason, callSid, err: error },
            'ending a dropped relay call failed',
          );
        }),
      );
    }
    this.ended = true;
    void this.queue.then(() => this.options.onClosed());
  }
}
