import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addRunOptions, commanderOption } from '../../src/cli/run-options.js';
import { parseScenarioFile } from '../../src/scenario/scenario-file.js';
import { expandSweep } from '../../src/scenario/sweep.js';
import { resolveStrategies } from '../../src/strategy/registry.js';
import { DEFAULTS, OPTION_GROUPS, RUN_OPTIONS, SCENARIO_OPTIONS, RUN_EXAMPLES } from '../../src/scenario/options.js';

/** A `run` command as main.ts builds it, that throws instead of exiting. */
function runCommand(): Command {
  return addRunOptions(new Command('run').exitOverride().configureOutput({ writeErr: () => {} }));
}

function parse(args: string[]): Record<string, unknown> {
  return runCommand().parse(args, { from: 'user' }).opts();
}

describe('migbench run options (commander)', () => {
  it('each declaration is stored under its declared property', () => {
    for (const o of RUN_OPTIONS) expect(commanderOption(o).attributeName(), o.flag).toBe(o.prop);
  });

  it('without arguments, the options are the declared defaults', () => {
    expect(parse([])).toEqual(DEFAULTS);
  });

  it('every option a scenario file can set gives the same raw value from the command line', () => {
    for (const o of SCENARIO_OPTIONS) {
      const fromCli = parse([`--${o.flag}`, o.example])[o.prop];
      expect(fromCli, o.flag).toBe(o.example);
      expect(parseScenarioFile({ [o.flag]: o.example })[o.prop as keyof typeof DEFAULTS], o.flag).toBe(fromCli);
    }
    expect(parse(['--dry-run']).dryRun).toBe(true);
  });

  it('--help shows the options in their groups, in order, then the examples', () => {
    let help = '';
    const cmd = runCommand().configureOutput({ writeOut: (s) => (help += s) });
    expect(() => cmd.parse(['--help'], { from: 'user' })).toThrow('(outputHelp)');
    const at = OPTION_GROUPS.map((g) => help.indexOf(`\n${g}:\n`));
    expect(at.every((i) => i > 0), help).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // Each option sits under its own group's heading.
    for (const o of RUN_OPTIONS) {
      const pos = help.indexOf(`  --${o.flag}`);
      const heading = Math.max(...at.filter((i) => i < pos));
      expect(OPTION_GROUPS[at.indexOf(heading)], o.flag).toBe(o.group);
    }
    const examples = help.indexOf('\nExamples:\n');
    expect(examples).toBeGreaterThan(Math.max(...at));
    for (const e of RUN_EXAMPLES) expect(help.slice(examples)).toContain(`$ ${e.command}`);
    expect(help).toMatch(/--backend <name> +clone backend: auto/);
    expect(help).toMatch(/--size <size> +volume size .*a comma list sweeps/s);
  });

  it('the examples are valid command lines', () => {
    for (const e of RUN_EXAMPLES) {
      const args = e.command.split(' ').slice(2);
      const opts = parse(args);
      if (!opts.scenario) expect(() => expandSweep(opts as typeof DEFAULTS, resolveStrategies), e.command).not.toThrow();
    }
  });
});
