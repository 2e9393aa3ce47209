/**
 * `--scenario FILE`: a JSON description of a run or a sweep matrix. Keys are the `run`
 * option names; a list value is a sweep dimension. Validated with a JSON Schema (ajv);
 * errors name the field. Pure apart from the caller reading the file.
 *
 *   { "strategy": ["kill-copy-boot", "async-clone"], "size": ["64MiB", "256MiB"],
 *     "write-rate": "8MB/s", "link": ["200Mbit/s", "1Gbit/s"], "reps": 3 }
 *
 * Every `run` option but `--scenario`, `--out` and `--dry-run` can be set (options.ts).
 */
import AjvModule from 'ajv';
import { SCENARIO_OPTIONS, type OptionDecl, type RawScenario, type ScenarioProp } from './options.js';
import { ScenarioError } from './scenario.js';

// ajv ships CommonJS; under NodeNext its class is the default export's default.
const Ajv = AjvModule.default;

const text = { type: 'string' } as const;
const scalar = { type: ['string', 'number'] } as const;
// A count may be written as a JSON integer or as text ("3"); the option parser checks the text.
const count = { anyOf: [{ type: 'integer', minimum: 1 }, text] } as const;

/** File key (the CLI flag without dashes) → RawScenario property, for every option a file can set. */
const KEYS: Readonly<Record<string, ScenarioProp>> = Object.fromEntries(SCENARIO_OPTIONS.map((o) => [o.flag, o.prop]));

/** The JSON Schema of one option's value, from its declaration. */
function valueSchema(o: OptionDecl): object {
  if (o.kind === 'enum') return { enum: [...(o.choices ?? [])] };
  if (o.kind === 'strategies') return { anyOf: [text, { type: 'array', items: text, minItems: 1 }] };
  const one = o.kind === 'count' ? count : o.kind === 'text' || o.kind === 'path' || !o.sweepable ? text : scalar;
  return o.sweepable ? { anyOf: [one, { type: 'array', items: one, minItems: 1 }] } : one;
}

/** What an anyOf failure says a field must be. */
function expected(o: OptionDecl | undefined): string {
  if (o?.kind === 'strategies') return 'a string or a list of strings';
  if (o?.kind === 'count') return o.sweepable ? 'a whole number or a non-empty list of them' : 'a whole number';
  return 'a string, a number or a non-empty list of them';
}

/** The JSON Schema of a scenario file. */
export const SCENARIO_FILE_SCHEMA = {
  $id: 'https://migbench.dev/schema/scenario.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: text,
    description: text,
    ...Object.fromEntries(SCENARIO_OPTIONS.map((o) => [o.flag, valueSchema(o)])),
  },
} as const;

const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(SCENARIO_FILE_SCHEMA);

/**
 * Checks a parsed scenario file against the schema and returns it as raw options
 * (lists joined with commas, numbers as strings). Throws ScenarioError naming the field.
 */
export function parseScenarioFile(json: unknown, source = 'scenario file'): Partial<RawScenario> {
  if (!validate(json)) {
    const errors = validate.errors ?? [];
    // An anyOf failure also reports each branch's failure; keep the one summary per field.
    const anyOf = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
    const messages = errors.filter((e) => e.keyword === 'anyOf' || !anyOf.has(e.instancePath.replace(/\/\d+$/, '')) && !anyOf.has(e.instancePath)).map((e) => {
      const field = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '';
      if (e.keyword === 'additionalProperties') {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        return `unknown field "${extra}" (known: ${Object.keys(KEYS).join(', ')})`;
      }
      const decl = SCENARIO_OPTIONS.find((o) => o.flag === field);
      if (e.keyword === 'anyOf') return `field "${field}" must be ${expected(decl)}`;
      if (e.keyword === 'enum' && decl?.choices) return `field "${field}" must be equal to one of the allowed values (${decl.choices.join(', ')})`;
      return `field "${field || '(root)'}" ${e.message ?? 'is invalid'}`;
    });
    throw new ScenarioError(`${source}: ${[...new Set(messages)].join('; ')}`);
  }
  const out: Partial<RawScenario> = {};
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    const prop = KEYS[key];
    if (!prop) continue; // $schema, description
    const str = Array.isArray(value) ? value.map(String).join(',') : String(value);
    (out as Record<string, string>)[prop] = str;
  }
  return out;
}

/** Parses the text of a scenario file; JSON syntax errors become ScenarioErrors. */
export function parseScenarioText(textContent: string, source: string): Partial<RawScenario> {
  let json: unknown;
  try {
    json = JSON.parse(textContent);
  } catch (err) {
    throw new ScenarioError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  return parseScenarioFile(json, source);
}

/**
 * Merges a scenario file under the command line: an option typed on the command line
 * wins over the file, the file wins over the defaults.
 */
export function mergeScenario<T extends RawScenario>(opts: T, file: Partial<RawScenario>, fromCommandLine: ReadonlySet<string>): T {
  const merged = { ...opts };
  for (const [prop, value] of Object.entries(file)) {
    if (!fromCommandLine.has(prop)) (merged as Record<string, unknown>)[prop] = value;
  }
  return merged;
}
