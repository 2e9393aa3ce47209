/**
 * The `run` command's options for commander, derived from the declarations in
 * scenario/options.ts: one Option per declaration, in its help group, with its default,
 * and an "Examples:" section after the help.
 */
import { Option, type Command } from 'commander';
import { RUN_EXAMPLES, RUN_OPTIONS, type OptionDecl } from '../scenario/options.js';

/** The help line of a declaration: its text, its choices, whether it takes a list. */
export function optionHelp(o: OptionDecl): string {
  // Choices the help text does not already name are listed after it.
  const choices = o.choices && !o.choices.every((c) => o.help.includes(c)) ? ` (${o.choices.join(' | ')})` : '';
  return `${o.help}${choices}${o.sweepable ? '; a comma list sweeps' : ''}`;
}

/** The commander Option of a declaration. */
export function commanderOption(o: OptionDecl): Option {
  const flags = o.kind === 'flag' ? `--${o.flag}` : `--${o.flag} <${o.arg ?? 'value'}>`;
  const opt = new Option(flags, optionHelp(o)).helpGroup(`${o.group}:`);
  // Enum values are checked by the scenario validation (same message for the file and the flag).
  if (o.default !== undefined) opt.default(o.default);
  return opt;
}

/** Adds every `run` option to `cmd`, grouped, and the examples after its help. */
export function addRunOptions(cmd: Command): Command {
  for (const o of RUN_OPTIONS) cmd.addOption(commanderOption(o));
  const examples = RUN_EXAMPLES.map((e) => `  # ${e.what}\n  $ ${e.command}`).join('\n');
  return cmd.addHelpText('after', `\nExamples:\n${examples}\n\nAll options, with examples: docs/options.md\n`);
}
