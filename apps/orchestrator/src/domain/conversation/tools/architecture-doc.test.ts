import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_TOOLS } from './index';

// docs/architecture.md lists the agent's tools under "Tools" (`- \`name\` → what it does`). The
// list and the registry must name the same tools, so a new tool cannot go undocumented and a
// renamed one cannot leave its old name behind.
describe('the tools named in docs/architecture.md', () => {
  it('are exactly the tools of the registry', () => {
    const architecture = readFileSync(join(__dirname, '../../../../../../docs/architecture.md'), 'utf8');
    const toolsStep = architecture.slice(architecture.indexOf('**Tools.**'), architecture.indexOf('**Status callback.**'));
    const documented = [...toolsStep.matchAll(/^\s+- `([a-z_]+)` →/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual(AGENT_TOOLS.map((tool) => tool.name).sort());
  });
});
