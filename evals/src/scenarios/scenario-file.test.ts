import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedIndustries } from '../run/scenario-tenant';
import { loadScenarioFiles, readScenarioFile } from './scenario-file';

const scenariosDir = path.resolve(__dirname, '..', '..', 'scenarios');

describe('the evaluation scenarios', () => {
  const files = loadScenarioFiles([scenariosDir]);

  it.each(seedIndustries())('has at least 10 scenarios for the seed industry %s, the three attacks among them', (industry) => {
    const scenarios = files.filter((file) => file.industry === industry).flatMap((file) => file.scenarios);
    expect(scenarios.length).toBeGreaterThanOrEqual(10);
    const tags = new Set(scenarios.flatMap((scenario) => scenario.tags));
    expect([...tags]).toEqual(expect.arrayContaining(['adversarial', 'spoofed-number', 'prompt-injection', 'someone-else']));
  });

  it('names only seed industries', () => {
    expect(files.map((file) => file.industry).filter((industry) => !seedIndustries().includes(industry))).toEqual([]);
  });

  it('expects something of every scenario', () => {
    const empty = files.flatMap((file) =>
      file.scenarios
        .filter((scenario) =>
          Object.values(scenario.expect).every(
            (value) => value === undefined || (typeof value === 'object' && Object.keys(value).length === 0),
          ),
        )
        .map((scenario) => scenario.id),
    );
    expect(empty).toEqual([]);
  });
});

describe('readScenarioFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'evals-'));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const header = 'industry: insurance\nbusiness: { name: Acme Cover, agent_name: Sam }\nscenarios:\n';
  const scenario = (id: string, extra = '') =>
    `  - id: ${id}\n    title: T\n    persona: P\n    turns:\n      - caller: Hello\n        model: { say: Hi }\n    expect: { said: [Hi]${extra} }\n`;

  it('names the file and the field that is wrong', () => {
    const file = write('bad-tool.yaml', header + scenario('a', ', no_tools: [book_flight]'));
    expect(() => readScenarioFile(file)).toThrow(`${file}: scenarios.0.expect.no_tools.0:`);
  });

  it('refuses an expectation it does not know, so a typo cannot pass silently', () => {
    const file = write('typo.yaml', header + scenario('a', ', nevr_said: [x]'));
    expect(() => readScenarioFile(file)).toThrow("Unrecognized key(s) in object: 'nevr_said'");
  });

  it('refuses a scenario id used twice', () => {
    const file = write('twice.yaml', header + scenario('a') + scenario('a'));
    expect(() => readScenarioFile(file)).toThrow('scenario id a is used twice');
  });
});
