import { mergeVariables } from './summarize-call';

describe('mergeVariables', () => {
  it('replaces scalars, accumulates lists without duplicates and keeps what the call did not mention', () => {
    expect(
      mergeVariables(
        { city: 'Springfield', children: ['Ana'], spouse: 'Lee' },
        { city: 'Shelbyville', children: ['ana', 'Ben'] },
      ),
    ).toEqual({ city: 'Shelbyville', children: ['Ana', 'Ben'], spouse: 'Lee' });
  });
});
