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

  it('speaks, then dials the transfer number', () => {
    const nodes = parseTwiml(
      renderCallInstructions({
        publicBaseUrl,
        instructions: {
          speak: [{ type: 'say', text: 'Connecting you now.' }],
          next: { type: 'transfer', number: '+12125550147' },
        },
      }),
    );
    expect(nodes.map((node) => [node.name, node.text])).toEqual([
      ['Say', 'Connecting you now.'],
      ['Dial', '+12125550147'],
    ]);
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

  it('apologizes and hangs up otherwise', () => {
    expect(fallbackInstructions({ allowRetry: false, transferNumber: null, speechTimeoutSeconds: 6 })).toEqual({
      kind: 'hangup',
      instructions: { speak: [{ type: 'say', text: SERVICE_UNAVAILABLE_TEXT }], next: { type: 'hangup' } },
    });
  });
});
