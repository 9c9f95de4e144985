import { randomBytes, randomInt } from 'node:crypto';
import { startFakeServer } from './fake-server';
import type { FakeReply, FakeServer, RecordedRequest } from './fake-server';
import { uniqueAccountSid, uniqueMessageSid } from './unique-ids';

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
  numSegments: number;
}

/** A Twilio account the fake knows: the platform's (master) or a sub-account of it, or a stand-alone (BYOK) one. */
export interface FakeTwilioAccount {
  sid: string;
  authToken: string;
  friendlyName: string;
  status: 'active' | 'suspended' | 'closed';
  /** Its own SID for a top-level account; the parent's for a sub-account. */
  ownerAccountSid: string;
  /** Buying a number fails like an account without funds (Twilio 20005). */
  fundsExhausted: boolean;
}

/** A number an account owns (IncomingPhoneNumber), with its webhooks as Twilio would call them. */
export interface FakeIncomingNumber {
  sid: string;
  accountSid: string;
  phoneNumber: string;
  friendlyName: string;
  voiceUrl: string | null;
  voiceMethod: string;
  statusCallback: string | null;
  statusCallbackMethod: string;
  smsUrl: string | null;
  smsMethod: string;
  capabilities: { voice: boolean; sms: boolean };
}

/** A call as Twilio's Calls resource reports it (what a reaper asks when a status callback never came). */
export interface FakeCall {
  sid: string;
  accountSid: string;
  /** queued, ringing, in-progress, completed, busy, failed, no-answer, canceled. */
  status: string;
  /** Whole seconds; Twilio reports it once the call ended. */
  durationSeconds: number | null;
  startTime: Date;
  endTime: Date | null;
}

export interface FakeAvailableNumber {
  phoneNumber: string;
  voice: boolean;
  sms: boolean;
}

/** The REST operations the fake implements; failures can be queued per operation. */
export type FakeTwilioOperation =
  | 'createAccount'
  | 'listAccounts'
  | 'fetchAccount'
  | 'updateAccount'
  | 'searchNumbers'
  | 'listNumbers'
  | 'buyNumber'
  | 'fetchNumber'
  | 'updateNumber'
  | 'releaseNumber'
  | 'sendMessage'
  | 'fetchCall';

/** Twilio's error answers the platform has to tell apart, as Twilio sends them. */
export const TWILIO_ERRORS = {
  /** Wrong account SID or auth token. */
  authenticationFailed: {
    status: 401,
    body: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 },
  },
  /** The number was bought by someone else meanwhile (or never was Twilio's to sell). */
  numberNotAvailable: (phoneNumber: string) => ({
    status: 400,
    body: { code: 21422, message: `${phoneNumber} is not available`, more_info: 'https://www.twilio.com/docs/errors/21422', status: 400 },
  }),
  /** An account without funds is suspended by Twilio and cannot buy anything. */
  insufficientFunds: {
    status: 400,
    body: {
      code: 20005,
      message: 'Account not active: the account balance is insufficient',
      more_info: 'https://www.twilio.com/docs/errors/20005',
      status: 400,
    },
  },
  notFound: {
    status: 404,
    body: {
      code: 20404,
      message: 'The requested resource was not found',
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    },
  },
  serviceUnavailable: {
    status: 503,
    body: { code: 20503, message: 'Service Unavailable', more_info: 'https://www.twilio.com/docs/errors/20503', status: 503 },
  },
} as const;

export interface FakeTwilio extends FakeServer {
  /** Messages the fake accepted (201), in order. */
  sentMessages(): SentMessage[];
  /** Replies to use for the next message requests, in order, before answering 201 again. */
  queueFailures(...replies: FakeReply[]): void;
  /** Replies to use for the next requests of `operation`, in order, before answering normally again. */
  failNext(operation: FakeTwilioOperation, ...replies: FakeReply[]): void;
  /**
   * The next request of `operation` is carried out, but its answer is lost (503): what a caller sees
   * when the network drops Twilio's answer. For proving that a retry does not do the work twice.
   */
  loseNextAnswer(operation: FakeTwilioOperation): void;
  /** Adds an account (a platform account, or a tenant's own); a sub-account when ownerAccountSid names another. */
  addAccount(account?: Partial<Omit<FakeTwilioAccount, 'status' | 'fundsExhausted'>>): FakeTwilioAccount;
  /** Every account the fake knows, sub-accounts included. */
  accounts(): FakeTwilioAccount[];
  account(sid: string): FakeTwilioAccount | undefined;
  setFundsExhausted(accountSid: string, exhausted: boolean): void;
  /** Numbers for sale. A search by area code that matches none of them invents a few in that area code. */
  addAvailableNumbers(...numbers: Array<string | FakeAvailableNumber>): void;
  /** A number an account owns already (to attach). */
  addIncomingNumber(accountSid: string, phoneNumber: string): FakeIncomingNumber;
  /** Numbers owned, in every account or in one. */
  incomingNumbers(accountSid?: string): FakeIncomingNumber[];
  /** Adds or replaces a call in an account (fetching an unknown call SID answers 20404). */
  setCall(call: Pick<FakeCall, 'sid' | 'accountSid' | 'status'> & Partial<FakeCall>): FakeCall;
}

const API = '/2010-04-01';

/**
 * A Twilio REST API stand-in on 127.0.0.1 for the real `twilio` SDK (pointed here through an
 * httpClient that rewrites api.twilio.com): Accounts (sub-accounts: create, list, fetch, close),
 * AvailablePhoneNumbers (Local search), IncomingPhoneNumbers (buy, list, fetch, update webhooks,
 * transfer to another account, release), Messages and Calls (fetch). Requests for a known account are
 * authenticated like Twilio does (HTTP basic auth with the account's or its parent's SID and auth
 * token; 20003 otherwise). Messages from accounts the fake does not know are accepted as before,
 * so a test that only sends texts needs no set-up.
 */
export async function startFakeTwilio(): Promise<FakeTwilio> {
  const failures = new Map<FakeTwilioOperation, FakeReply[]>();
  const sent: SentMessage[] = [];
  const accounts = new Map<string, FakeTwilioAccount>();
  const available = new Map<string, FakeAvailableNumber>();
  const incoming = new Map<string, FakeIncomingNumber>();
  const calls = new Map<string, FakeCall>();

  const nextFailure = (operation: FakeTwilioOperation) => failures.get(operation)?.shift();
  const lostAnswers = new Map<FakeTwilioOperation, number>();
  const loseAnswer = (operation: FakeTwilioOperation, reply: FakeReply): FakeReply => {
    const lost = lostAnswers.get(operation) ?? 0;
    if (lost === 0) return reply;
    lostAnswers.set(operation, lost - 1);
    return TWILIO_ERRORS.serviceUnavailable;
  };
  const credentialsOf = (request: RecordedRequest) => {
    const [username = '', password = ''] = Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
      .toString('utf8')
      .split(':');
    return { username, password };
  };
  /** The account that authenticated, or null (wrong or unknown credentials). */
  const caller = (request: RecordedRequest): FakeTwilioAccount | null => {
    const { username, password } = credentialsOf(request);
    const account = accounts.get(username);
    return account && account.authToken === password && account.status !== 'closed' ? account : null;
  };
  /** May the caller act on account `sid`: itself, or its parent. */
  const mayActOn = (who: FakeTwilioAccount | null, sid: string): boolean => {
    const target = accounts.get(sid);
    return who !== null && target !== undefined && (target.sid === who.sid || target.ownerAccountSid === who.sid);
  };
  const now = () => new Date().toUTCString();
  const accountJson = (account: FakeTwilioAccount) => ({
    sid: account.sid,
    auth_token: account.authToken,
    friendly_name: account.friendlyName,
    status: account.status,
    owner_account_sid: account.ownerAccountSid,
    type: 'Full',
    date_created: now(),
    date_updated: now(),
    uri: `${API}/Accounts/${account.sid}.json`,
    subresource_uris: {},
  });
  const numberJson = (number: FakeIncomingNumber) => ({
    sid: number.sid,
    account_sid: number.accountSid,
    phone_number: number.phoneNumber,
    friendly_name: number.friendlyName,
    voice_url: number.voiceUrl,
    voice_method: number.voiceMethod,
    status_callback: number.statusCallback,
    status_callback_method: number.statusCallbackMethod,
    sms_url: number.smsUrl,
    sms_method: number.smsMethod,
    capabilities: { voice: number.capabilities.voice, sms: number.capabilities.sms, mms: false, fax: false },
    origin: 'twilio',
    status: 'in-use',
    date_created: now(),
    date_updated: now(),
    uri: `${API}/Accounts/${number.accountSid}/IncomingPhoneNumbers/${number.sid}.json`,
  });
  const page = (key: string, items: unknown[], request: RecordedRequest) => ({
    [key]: items,
    uri: request.path,
    first_page_uri: request.path,
    next_page_uri: null,
    previous_page_uri: null,
    page: 0,
    page_size: items.length,
    start: 0,
    end: Math.max(items.length - 1, 0),
  });
  const form = (request: RecordedRequest) => (request.body ?? {}) as Record<string, string>;

  const addAccount: FakeTwilio['addAccount'] = (options = {}) => {
    const sid = options.sid ?? uniqueAccountSid();
    const account: FakeTwilioAccount = {
      sid,
      authToken: options.authToken ?? randomBytes(16).toString('hex'),
      friendlyName: options.friendlyName ?? sid,
      status: 'active',
      ownerAccountSid: options.ownerAccountSid ?? sid,
      fundsExhausted: false,
    };
    accounts.set(sid, account);
    return account;
  };

  const addIncoming = (accountSid: string, phoneNumber: string, settings: Record<string, string> = {}): FakeIncomingNumber => {
    const number: FakeIncomingNumber = {
      sid: `PN${randomBytes(16).toString('hex')}`,
      accountSid,
      phoneNumber,
      friendlyName: settings.FriendlyName ?? phoneNumber,
      voiceUrl: settings.VoiceUrl ?? null,
      voiceMethod: settings.VoiceMethod ?? 'POST',
      statusCallback: settings.StatusCallback ?? null,
      statusCallbackMethod: settings.StatusCallbackMethod ?? 'POST',
      smsUrl: settings.SmsUrl ?? null,
      smsMethod: settings.SmsMethod ?? 'POST',
      capabilities: { voice: true, sms: true },
    };
    incoming.set(number.sid, number);
    return number;
  };

  /** A few numbers for sale in an area code nobody stocked (valid North American numbers). */
  const invent = (areaCode: string) => {
    for (let i = 0; i < 3; i++) {
      const phoneNumber = `+1${areaCode}${randomInt(200, 1000)}${randomInt(0, 10000).toString().padStart(4, '0')}`;
      if (!available.has(phoneNumber)) available.set(phoneNumber, { phoneNumber, voice: true, sms: true });
    }
  };

  // Account-scoped routes check the caller first, like Twilio: 20003 before anything else.
  const scoped =
    (operation: FakeTwilioOperation, route: (request: RecordedRequest, params: Record<string, string>) => FakeReply) =>
    (request: RecordedRequest, params: Record<string, string>): FakeReply => {
      if (!mayActOn(caller(request), params.accountSid ?? '')) return TWILIO_ERRORS.authenticationFailed;
      return nextFailure(operation) ?? loseAnswer(operation, route(request, params));
    };
  const numberIn = (params: Record<string, string>) => {
    const number = incoming.get(params.numberSid ?? '');
    return number && number.accountSid === params.accountSid ? number : undefined;
  };
  const applySettings = (number: FakeIncomingNumber, settings: Record<string, string>) => {
    if (settings.FriendlyName !== undefined) number.friendlyName = settings.FriendlyName;
    if (settings.VoiceUrl !== undefined) number.voiceUrl = settings.VoiceUrl;
    if (settings.VoiceMethod !== undefined) number.voiceMethod = settings.VoiceMethod;
    if (settings.StatusCallback !== undefined) number.statusCallback = settings.StatusCallback;
    if (settings.StatusCallbackMethod !== undefined) number.statusCallbackMethod = settings.StatusCallbackMethod;
    if (settings.SmsUrl !== undefined) number.smsUrl = settings.SmsUrl;
    if (settings.SmsMethod !== undefined) number.smsMethod = settings.SmsMethod;
  };

  const server = await startFakeServer({
    [`POST ${API}/Accounts.json`]: (request) => {
      const who = caller(request);
      if (!who) return TWILIO_ERRORS.authenticationFailed;
      const failure = nextFailure('createAccount');
      if (failure) return failure;
      const account = addAccount({ friendlyName: form(request).FriendlyName, ownerAccountSid: who.sid });
      return loseAnswer('createAccount', { status: 201, body: accountJson(account) });
    },
    [`GET ${API}/Accounts.json`]: (request) => {
      const who = caller(request);
      if (!who) return TWILIO_ERRORS.authenticationFailed;
      const failure = nextFailure('listAccounts');
      if (failure) return failure;
      const friendlyName = request.query.get('FriendlyName');
      const status = request.query.get('Status');
      const visible = [...accounts.values()].filter(
        (account) =>
          (account.sid === who.sid || account.ownerAccountSid === who.sid) &&
          (friendlyName === null || account.friendlyName === friendlyName) &&
          (status === null || account.status === status),
      );
      return { status: 200, body: page('accounts', visible.map(accountJson), request) };
    },
    [`GET ${API}/Accounts/:accountSid.json`]: scoped('fetchAccount', (_request, params) => ({
      status: 200,
      body: accountJson(accounts.get(params.accountSid ?? '')!),
    })),
    [`POST ${API}/Accounts/:accountSid.json`]: scoped('updateAccount', (request, params) => {
      const account = accounts.get(params.accountSid ?? '')!;
      const settings = form(request);
      if (settings.Status === 'closed' || settings.Status === 'suspended' || settings.Status === 'active') account.status = settings.Status;
      if (settings.FriendlyName !== undefined) account.friendlyName = settings.FriendlyName;
      return { status: 200, body: accountJson(account) };
    }),
    [`GET ${API}/Accounts/:accountSid/AvailablePhoneNumbers/:country/Local.json`]: scoped('searchNumbers', (request) => {
      const areaCode = request.query.get('AreaCode');
      const contains = request.query.get('Contains');
      const wantsSms = request.query.get('SmsEnabled') === 'true';
      const wantsVoice = request.query.get('VoiceEnabled') === 'true';
      const matching = () =>
        [...available.values()].filter(
          (number) =>
            (areaCode === null || number.phoneNumber.startsWith(`+1${areaCode}`)) &&
            (contains === null || number.phoneNumber.slice(2).includes(contains.replace(/\D/g, ''))) &&
            (!wantsSms || number.sms) &&
            (!wantsVoice || number.voice),
        );
      if (matching().length === 0 && areaCode !== null && contains === null) invent(areaCode);
      const limit = Number(request.query.get('PageSize') ?? 50);
      const found = matching().slice(0, limit);
      return {
        status: 200,
        body: page(
          'available_phone_numbers',
          found.map((number) => ({
            friendly_name: number.phoneNumber,
            phone_number: number.phoneNumber,
            lata: null,
            locality: null,
            rate_center: null,
            latitude: null,
            longitude: null,
            region: null,
            postal_code: null,
            iso_country: 'US',
            address_requirements: 'none',
            beta: false,
            capabilities: { voice: number.voice, SMS: number.sms, MMS: false, fax: false },
          })),
          request,
        ),
      };
    }),
    [`GET ${API}/Accounts/:accountSid/IncomingPhoneNumbers.json`]: scoped('listNumbers', (request, params) => {
      const phoneNumber = request.query.get('PhoneNumber');
      const owned = [...incoming.values()].filter(
        (number) => number.accountSid === params.accountSid && (phoneNumber === null || number.phoneNumber === phoneNumber),
      );
      return { status: 200, body: page('incoming_phone_numbers', owned.map(numberJson), request) };
    }),
    [`POST ${API}/Accounts/:accountSid/IncomingPhoneNumbers.json`]: scoped('buyNumber', (request, params) => {
      const settings = form(request);
      const account = accounts.get(params.accountSid ?? '')!;
      const owner = accounts.get(account.ownerAccountSid);
      if (account.fundsExhausted || owner?.fundsExhausted) return TWILIO_ERRORS.insufficientFunds;
      const phoneNumber = settings.PhoneNumber ?? '';
      if (!available.has(phoneNumber)) return TWILIO_ERRORS.numberNotAvailable(phoneNumber);
      available.delete(phoneNumber);
      return { status: 201, body: numberJson(addIncoming(account.sid, phoneNumber, settings)) };
    }),
    [`GET ${API}/Accounts/:accountSid/IncomingPhoneNumbers/:numberSid.json`]: scoped('fetchNumber', (_request, params) => {
      const number = numberIn(params);
      return number ? { status: 200, body: numberJson(number) } : TWILIO_ERRORS.notFound;
    }),
    [`POST ${API}/Accounts/:accountSid/IncomingPhoneNumbers/:numberSid.json`]: scoped('updateNumber', (request, params) => {
      const number = numberIn(params);
      if (!number) return TWILIO_ERRORS.notFound;
      const settings = form(request);
      // A transfer between sub-accounts of one parent is made with the parent's credentials.
      if (settings.AccountSid !== undefined && settings.AccountSid !== number.accountSid) {
        const who = caller(request);
        const target = accounts.get(settings.AccountSid);
        const source = accounts.get(number.accountSid);
        if (!who || !target || !source || who.sid !== source.ownerAccountSid || who.sid !== target.ownerAccountSid) {
          return TWILIO_ERRORS.authenticationFailed;
        }
        number.accountSid = target.sid;
      }
      applySettings(number, settings);
      return { status: 200, body: numberJson(number) };
    }),
    [`DELETE ${API}/Accounts/:accountSid/IncomingPhoneNumbers/:numberSid.json`]: scoped('releaseNumber', (_request, params) => {
      const number = numberIn(params);
      if (!number) return TWILIO_ERRORS.notFound;
      incoming.delete(number.sid);
      return { status: 204 };
    }),
    [`GET ${API}/Accounts/:accountSid/Calls/:callSid.json`]: scoped('fetchCall', (_request, params) => {
      const call = calls.get(params.callSid ?? '');
      if (!call || call.accountSid !== params.accountSid) return TWILIO_ERRORS.notFound;
      return {
        status: 200,
        body: {
          sid: call.sid,
          account_sid: call.accountSid,
          status: call.status,
          direction: 'inbound',
          duration: call.durationSeconds === null ? null : String(call.durationSeconds),
          start_time: call.startTime.toUTCString(),
          end_time: call.endTime?.toUTCString() ?? null,
          date_created: call.startTime.toUTCString(),
          date_updated: now(),
          uri: `${API}/Accounts/${call.accountSid}/Calls/${call.sid}.json`,
        },
      };
    }),
    [`POST ${API}/Accounts/:accountSid/Messages.json`]: (recorded, params) => {
      const failure = nextFailure('sendMessage');
      if (failure) return failure;
      const { username, password } = credentialsOf(recorded);
      // Accounts the fake knows are authenticated; unknown ones are accepted (tests that only send texts).
      if (accounts.has(username) && !mayActOn(caller(recorded), params.accountSid ?? '')) return TWILIO_ERRORS.authenticationFailed;
      const body = form(recorded);
      const sid = uniqueMessageSid();
      const text = body.Body ?? '';
      const message: SentMessage = {
        accountSid: params.accountSid ?? '',
        username,
        password,
        to: body.To ?? '',
        from: body.From ?? '',
        body: text,
        statusCallback: body.StatusCallback,
        sid,
        // GSM-7 sizes (160 characters, 153 per part when split); enough for a stand-in.
        numSegments: text.length <= 160 ? 1 : Math.ceil(text.length / 153),
      };
      sent.push(message);
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
          num_segments: String(message.numSegments),
          date_created: now(),
          date_updated: now(),
          error_code: null,
          error_message: null,
          uri: `${API}/Accounts/${message.accountSid}/Messages/${sid}.json`,
        },
      };
    },
  });

  const failNext: FakeTwilio['failNext'] = (operation, ...replies) => {
    failures.set(operation, [...(failures.get(operation) ?? []), ...replies]);
  };
  return {
    ...server,
    sentMessages: () => [...sent],
    queueFailures: (...replies) => failNext('sendMessage', ...replies),
    loseNextAnswer(operation) {
      lostAnswers.set(operation, (lostAnswers.get(operation) ?? 0) + 1);
    },
    failNext,
    addAccount,
    accounts: () => [...accounts.values()],
    account: (sid) => accounts.get(sid),
    setFundsExhausted(accountSid, exhausted) {
      const account = accounts.get(accountSid);
      if (!account) throw new Error(`fake Twilio: no account ${accountSid}`);
      account.fundsExhausted = exhausted;
    },
    addAvailableNumbers(...numbers) {
      for (const number of numbers) {
        const entry = typeof number === 'string' ? { phoneNumber: number, voice: true, sms: true } : number;
        available.set(entry.phoneNumber, entry);
      }
    },
    addIncomingNumber: (accountSid, phoneNumber) => addIncoming(accountSid, phoneNumber),
    setCall(call) {
      const stored: FakeCall = { durationSeconds: null, startTime: new Date(), endTime: null, ...call };
      calls.set(stored.sid, stored);
      return stored;
    },
    incomingNumbers: (accountSid) =>
      [...incoming.values()].filter((number) => accountSid === undefined || number.accountSid === accountSid),
  };
}
