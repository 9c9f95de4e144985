import { startFakeServer } from './fake-server';
import type { FakeReply, FakeServer } from './fake-server';
import { uniqueMessageSid } from './unique-ids';

export interface SentMessage {
  accountSid: string;
  /** The account SID and auth token the SDK authenticated with (HTTP basic auth). */
  username: string;
  password: string;
  to: string;
  from: string;
  body: string;
  statusCallback?: string;
  sid: string;
}

export interface FakeTwilio extends FakeServer {
  /** Messages the fake accepted (201), in order. */
  sentMessages(): SentMessage[];
  /** Replies to use for the next message requests, in order, before answering 201 again. */
  queueFailures(...replies: FakeReply[]): void;
}

/**
 * A Twilio REST API stand-in on 127.0.0.1 (Messages resource), for running the real `twilio`
 * SDK against it through an httpClient that rewrites api.twilio.com to this server.
 */
export async function startFakeTwilio(): Promise<FakeTwilio> {
  const failures: FakeReply[] = [];
  const sent: SentMessage[] = [];
  const server = await startFakeServer({
    'POST /2010-04-01/Accounts/:accountSid/Messages.json': (recorded, params) => {
      const failure = failures.shift();
      if (failure) return failure;
      const form = (recorded.body ?? {}) as Record<string, string>;
      const [username = '', password = ''] = Buffer.from(
        (recorded.headers.authorization ?? '').replace(/^Basic /, ''),
        'base64',
      )
        .toString('utf8')
        .split(':');
      const sid = uniqueMessageSid();
      const message: SentMessage = {
        accountSid: params.accountSid ?? '',
        username,
        password,
        to: form.To ?? '',
        from: form.From ?? '',
        body: form.Body ?? '',
        statusCallback: form.StatusCallback,
        sid,
      };
      sent.push(message);
      const now = new Date().toUTCString();
      return {
        status: 201,
        body: {
          sid,
          account_sid: message.accountSid,
          to: message.to,
          from: message.from,
          body: message.body,
          status: 'queued',
          direction: 'outbound-api',
          num_segments: '1',
          date_created: now,
          date_updated: now,
          error_code: null,
          error_message: null,
          uri: `/2010-04-01/Accounts/${message.accountSid}/Messages/${sid}.json`,
        },
      };
    },
  });
  return {
    ...server,
    sentMessages: () => [...sent],
    queueFailures(...replies) {
      failures.push(...replies);
    },
  };
}
