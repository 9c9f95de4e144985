import { testCallSettings } from '../../../test/call-fixtures';
import { modelFor, trimToLastSentence } from './chat-model';

describe('trimToLastSentence', () => {
  it('cuts a reply stopped by the token limit back to its last full sentence', () => {
    expect(trimToLastSentence('We are open until five. On Saturdays we open at nine and close at')).toBe('We are open until five.');
    expect(trimToLastSentence('Sure! I can text you the address. It is "1 Test Street." and the parking is')).toBe(
      'Sure! I can text you the address. It is "1 Test Street."',
    );
    expect(trimToLastSentence('The total is 3.5 percent of the')).toBeNull();
    expect(trimToLastSentence('Let me check on that for')).toBeNull();
  });
});

describe('modelFor', () => {
  it("uses the tenant's model only while the platform allows it", () => {
    const settings = { ...testCallSettings, defaultModel: 'model-a', allowedModels: ['model-a', 'model-b'] };
    expect(modelFor('model-b', settings)).toBe('model-b');
    expect(modelFor('model-c', settings)).toBe('model-a');
    expect(modelFor(null, settings)).toBe('model-a');
  });
});
