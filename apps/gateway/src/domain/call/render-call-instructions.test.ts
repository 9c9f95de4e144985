import { parseTwiml } from '../../cli/read-twiml';
import { fallbackInstructions, RETRY_TEXT, SERVICE_UNAVAILABLE_TEXT, TRANSFER_TEXT } from './fallback-instructions';
import { renderCallInstructions } from './render-call-instructions';

const publicBaseUrl = 'https://voice.example.test';

describe('renderCallInstructions', () => {
  it('puts play and say inside a speech <Gather> that posts the turn, even after silence', () => {
    const xml = renderCallInstructions({
      publicBaseUrl,
      instructions: {
        speak: [
          { type: 'play', audio_token: 'tok_ABCDEFGHIJKLMNOP', text: 'Hi there' },
          { type: 'say', text: 'Anything else? Tom & Jerry <3' },
        ],
        next: { type: 'gather', speech_timeout_seconds: 3 },
      },
    });
    expect(xml.startsWith('<?xml')).toBe(true);
    expect(parseTwiml(xml)).toEqual([
      {
        name: 'Gather',
        attributes: {
          input: 'speech',
          action: `${publicBaseUrl}/call/turn`,
          method: 'POST',
          timeout: '3',
          speechTimeout: '3',
          actionOnEmptyResult: 'true',
        },
        text: '',
        children: [
          { name: 'Play', attributes: {}, text: `${publicBaseUrl}/audio/tok_ABCDEFGHIJKLMNOP`, children: [] },
          { name: 'Say', attributes: {}, text: 'Anything else? Tom & Jerry <3', children: [] },
        ],
      },
    ]);
  });

  it('adds the gateway retry marker to the gather action when asked', () => {
    const [gather] = parseTwiml(
      renderCallInstructions({
        publicBaseUrl,
        turnQuery: 'attempt=retry',
        instructions: { speak: [], next: { type: 'gather', speech_timeout_seconds: 5 } },
      }),
    );
    expect(gather?.attributes.action).toBe(`${publicBaseUrl}/call/turn?attempt=retry`);
  });

  it('listens the way the orchestrator asks: speech model, end-of-speech pause, language, hints, keypad', () => {
    const [gather] = parseTwiml(
      renderCallInstructions({
        publicBaseUrl,
        instructions: {
          speak: [{ type: 'say', text: 'Hola.', voice: 'Polly.Lupe-Neural', language: 'es-US' }],
          next: {
            type: 'gather',
            speech_timeout_seconds: 5,
            timeout_seconds: 6,
            speech_timeout: 'auto',
            speech_model: 'phone_call',
            enhanced: true,
            language: 'es-US',
            hints: ['Example Dental', 'Riley', 'root canal, crown'],
            dtmf: true,
            num_digits: 1,
          },
        },
      }),
    );
    expect(gather).toEqual({
      name: 'Gather',
      attributes: {
        input: 'speech dtmf',
        action: `${publicBaseUrl}/call/turn`,
        method: 'POST',
        timeout: '6',
        speechTimeout: 'auto',
        speechModel: 'phone_call',
        enhanced: 'true',
        language: 'es-US',
        hints: 'Example Dental, Riley, root canal  crown',
        numDigits: '1',
        actionOnEmptyResult: 'true',
      },
      text: '',
      children: [{ name: 'Say', attributes: { voice: 'Polly.Lupe-Neural', language: 'es-US' }, text: 'Hola.', children: [] }],
    });
  });

  it('speaks, then dials with a ring limit, the business as caller id, a whisper and a report back when it ends', () => {
    const nodes = parseTwiml(
      renderCallInstructions({
        publicBaseUrl,
        instructions: {
          speak: [{ type: 'say', text: 'Connecting you now.' }],
          next: {
            type: 'transfer',
            number: '+12125550147',
            timeout_seconds: 20,
            caller_id: '+12015550101',
            whisper: { text: 'Call from Kim & Co about a bill.', voice: 'Polly.Joanna-Neural', language: 'en-US' },
          },
        },
      }),
    );
    const whisper = new URLSearchParams({ text: 'Call from Kim & Co about a bill.', voice: 'Polly.Joanna-Neural', language: 'en-US' });
    expect(nodes).toEqual([
      { name: 'Say', attributes: {}, text: 'Connecting you now.', children: [] },
      {
        name: 'Dial',
        attributes: { action: `${publicBaseUrl}/call/transfer-status`, method: 'POST', timeout: '20', callerId: '+12015550101' },
        text: '',
        children: [
          {
            name: 'Number',
            attributes: { url: `${publicBaseUrl}/call/whisper?${whisper.toString()}`, method: 'POST' },
            text: '+12125550147',
            children: [],
          },
        ],
      },
    ]);
  });

  it('dials a bare transfer (a fallback) with only the report back', () => {
    const [, dial] = parseTwiml(
      renderCallInstructions({
        publicBaseUrl,
        instructions: { speak: [{ type: 'say', text: 'One moment.' }], next: { type: 'transfer', number: '+12125550147' } },
      }),
    );
    expect(dial).toEqual({
      name: 'Dial',
      attributes: { action: `${publicBaseUrl}/call/transfer-status`, method: 'POST' },
      text: '',
      children: [{ name: 'Number', attributes: {}, text: '+12125550147', children: [] }],
    });
  });

  it('speaks, then hangs up', () => {
    const nodes = parseTwiml(
      renderCallInstructions({
        publicBaseUrl,
        instructions: {
          speak: [{ type: 'play', audio_token: 'bye-token-000000000000', text: 'Goodbye' }],
          next: { type: 'hangup' },
        },
      }),
    );
    expect(nodes.map((node) => [node.name, node.text])).toEqual([
      ['Play', `${publicBaseUrl}/audio/bye-token-000000000000`],
      ['Hangup', ''],
    ]);
  });
});

describe('fallbackInstructions', () => {
  it('retries once when allowed', () => {
    expect(fallbackInstructions({ allowRetry: true, transferNumber: '+12125550100', speechTimeoutSeconds: 6 })).toEqual({
      kind: 'retry',
      instructions: { speak: [{ type: 'say', text: RETRY_TEXT }], next: { type: 'gather', speech_timeout_seconds: 6 } },
    });
  });

  it("transfers to the tenant's number when it has one", () => {
    expect(fallbackInstructions({ allowRetry: false, transferNumber: '+12125550100', speechTimeoutSeconds: 6 })).toEqual({
      kind: 'transfer',
      instructions: { speak: [{ type: 'say', text: TRANSFER_TEXT }], next: { type: 'transfer', number: '+12125550100' } },
    });
  });

  it("speaks in the tenant's fallback voice and language when it knows them", () => {
    const speech = { language: 'en-GB', voice: 'Polly.Amy-Neural' };
    expect(fallbackInstructions({ allowRetry: true, transferNumber: null, speechTimeoutSeconds: 6, speech })).toEqual({
      kind: 'retry',
      instructions: {
        speak: [{ type: 'say', text: RETRY_TEXT, ...speech }],
        next: { type: 'gather', speech_timeout_seconds: 6, language: 'en-GB' },
      },
    });
  });

  it('apologizes and hangs up otherwise', () => {
    expect(fallbackInstructions({ allowRetry: false, transferNumber: null, speechTimeoutSeconds: 6 })).toEqual({
      kind: 'hangup',
      instructions: { speak: [{ type: 'say', text: SERVICE_UNAVAILABLE_TEXT }], next: { type: 'hangup' } },
    });
  });
});
