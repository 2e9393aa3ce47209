/**
 * `--scenario FILE`: a JSON description of a run or a sweep matrix. Keys are the `run`
 * option names; a list value is a sweep dimension. Validated with a JSON Schema (ajv);
 * errors name the field. Pure apart from the caller reading the file.
 *
 *   { "strategy": ["kill-copy-boot", "async-clone"], "size": ["64MiB", "256MiB"],
 *     "write-rate": "8MB/s", "link": ["200Mbit/s", "1Gbit/s"], "reps": 3 }
 */
import AjvModule from 'ajv';
import type { RawScenario } from './scenario.js';
import { ScenarioError } from './scenario.js';
import { SWEEPABLE } from './sweep.js';

// ajv ships CommonJS; under NodeNext its class is the default export's default.
const Ajv = AjvModule.default;

const scalar = { type: ['string', 'number'] } as const;
const listable = { anyOf: [scalar, { type: 'array', items: scalar, minItems: 1 }] } as const;
const text = { type: 'string' } as const;

/** File key (the CLI flag without dashes) → RawScenario property. */
const KEYS: Record<string, keyof RawScenario> = {
  strategy: 'strategy',
  reps: 'reps',
  'backing-dir': 'backingDir',
  'boot-cmd': 'bootCmd',
  timeout: 'timeout',
  window: 'window',
  backend: 'backend',
  tracking: 'tracking',
  ...Object.fromEntries(Object.entries(SWEEPABLE).map(([prop, flag]) => [flag, prop as keyof RawScenario])),
};

/** The JSON Schema of a scenario file. */
export const SCENARIO_FILE_SCHEMA = {
  $id: 'https://migbench.dev/schema/scenario.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: text,
    description: text,
    strategy: { anyOf: [text, { type: 'array', items: text, minItems: 1 }] },
    reps: { anyOf: [{ type: 'integer', minimum: 1 }, text] },
    'backing-dir': text,
    'boot-cmd': text,
    timeout: text,
    window: text,
    backend: { enum: ['auto', 'qemu', 'dm-clone'] },
    tracking: { enum: ['auto', 'qemu', 'dm-era'] },
    ...Object.fromEntries(Object.values(SWEEPABLE).map((flag) => [flag, listable])),
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
      if (e.keyword === 'anyOf') return `field "${field}" must be ${field === 'strategy' ? 'a string or a list of strings' : field === 'reps' ? 'a whole number' : 'a string, a number or a non-empty list of them'}`;
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
