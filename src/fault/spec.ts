/**
 * The `--fault` syntax, `KIND[:ARG]@PHASE[+DELAY][/DURATION]`, and its pure parser: what
 * breaks, when (a phase of the repetition plus a delay) and for how long. Scripts and
 * nightly scenarios depend on this syntax; docs/faults.md describes it.
 */
import { parseDuration, parseRate } from '../scenario/units.js';

/** What a fault breaks. */
export const FAULT_KINDS = ['link-down', 'link-flap', 'source-crash', 'source-restart', 'dest-crash', 'slow-source', 'source-eio'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * The instants of a repetition a fault can be tied to: the phase names a strategy declares
 * (`hydration:N%` needs `hydration`, `round:N` needs `round`).
 */
export const PHASE_NAMES = ['start', 'kill', 'boot', 'hydration', 'round', 'mirror-ready'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

/** When a fault's clock starts. */
export type FaultPhase =
  | { name: 'start' | 'kill' | 'boot' | 'hydration' | 'mirror-ready' }
  /** Hydration progress reaches `percent` %. */
  | { name: 'hydration'; percent: number }
  /** Pre-copy pass `round` starts (0 is the full copy). */
  | { name: 'round'; round: number };

/** A parsed `--fault`. */
export interface FaultSpec {
  /** The text as given (runs.csv `fault`). */
  text: string;
  kind: FaultKind;
  phase: FaultPhase;
  /** Time after the phase before the fault starts, ms. */
  delayMs: number;
  /** How long the fault lasts (source-restart: how long the source is down), ms; undefined = for good. */
  durationMs: number | undefined;
  /** link-flap: number of outages. */
  flaps?: number;
  /** slow-source:LATENCY: added latency per packet A sends, ms (needs the kernel's netem). */
  latencyMs?: number;
  /** slow-source:RATE: the source export's bandwidth, bits per second, while the fault lasts. */
  rateBps?: number;
}

/** Kinds that need `/DURATION`, kinds that refuse it (they last for good or are one event). */
const NEEDS_DURATION: readonly FaultKind[] = ['link-down', 'link-flap', 'source-restart', 'slow-source', 'source-eio'];
const NO_DURATION: readonly FaultKind[] = ['source-crash', 'dest-crash'];

/** A `--fault` that does not parse; the message says what is wrong. */
export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

/** The phase a phase text names, e.g. `hydration:50%` or `round:1`. */
export function parsePhase(text: string): FaultPhase {
  const [name, arg, ...rest] = text.split(':');
  if (rest.length) throw new FaultSpecError(`phase "${text}": too many ':'`);
  if (!(PHASE_NAMES as readonly string[]).includes(name!)) throw new FaultSpecError(`unknown phase "${name}" (${PHASE_NAMES.join(', ')}; hydration:N%, round:N)`);
  if (arg === undefined) {
    if (name === 'round') throw new FaultSpecError('phase round needs a pass number: round:N');
    return { name: name as Exclude<PhaseName, 'round'> };
  }
  if (name === 'hydration') {
    const m = /^(\d+(?:\.\d+)?)%$/.exec(arg);
    if (!m || Number(m[1]) > 100) throw new FaultSpecError(`phase "${text}": expected hydration:N% with N from 0 to 100`);
    return { name: 'hydration', percent: Number(m[1]) };
  }
  if (name === 'round') {
    if (!/^\d+$/.test(arg)) throw new FaultSpecError(`phase "${text}": expected round:N with N a whole number`);
    return { name: 'round', round: Number(arg) };
  }
  throw new FaultSpecError(`phase ${name} takes no argument (got "${text}")`);
}

function duration(text: string, what: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new FaultSpecError(`${what} "${text}": ${(err as Error).message}`);
  }
}

/**
 * Parses `KIND[:ARG]@PHASE[+DELAY][/DURATION]`, e.g. `link-down@hydration+2s/3s`,
 * `source-crash@hydration:50%`, `slow-source:50ms@kill/5s`, `link-flap:5@start/10s`.
 * Pure; throws FaultSpecError.
 */
export function parseFaultSpec(input: string): FaultSpec {
  const text = input.trim();
  const at = text.indexOf('@');
  if (at < 0) throw new FaultSpecError(`"${text}": expected KIND[:ARG]@PHASE[+DELAY][/DURATION]`);
  const [kindText, arg, ...extra] = text.slice(0, at).split(':');
  if (extra.length) throw new FaultSpecError(`"${text}": too many ':' in the kind`);
  if (!(FAULT_KINDS as readonly string[]).includes(kindText!)) throw new FaultSpecError(`unknown fault kind "${kindText}" (${FAULT_KINDS.join(', ')})`);
  const kind = kindText as FaultKind;
  let when = text.slice(at + 1);
  let durationMs: number | undefined;
  const slash = when.indexOf('/');
  if (slash >= 0) {
    durationMs = duration(when.slice(slash + 1), 'duration');
    when = when.slice(0, slash);
  }
  let delayMs = 0;
  const plus = when.indexOf('+');
  if (plus >= 0) {
    delayMs = duration(when.slice(plus + 1), 'delay');
    when = when.slice(0, plus);
  }
  const phase = parsePhase(when);
  if (durationMs !== undefined && NO_DURATION.includes(kind)) throw new FaultSpecError(`${kind} takes no /DURATION (it does not end by itself)`);
  if (durationMs === undefined && NEEDS_DURATION.includes(kind)) throw new FaultSpecError(`${kind} needs a /DURATION, e.g. ${kind}${kind === 'slow-source' ? ':50ms' : kind === 'link-flap' ? ':3' : ''}@start/3s`);
  if (durationMs !== undefined && durationMs <= 0) throw new FaultSpecError(`"${text}": the duration must be greater than 0`);
  const spec: FaultSpec = { text, kind, phase, delayMs, durationMs };
  if (kind === 'link-flap') {
    if (arg === undefined || !/^[1-9]\d*$/.test(arg)) throw new FaultSpecError('link-flap needs a number of outages: link-flap:N');
    spec.flaps = Number(arg);
  } else if (kind === 'slow-source') {
    if (arg === undefined) throw new FaultSpecError('slow-source needs a latency or a rate: slow-source:50ms, slow-source:20Mbit/s');
    if (/\/s$/.test(arg)) {
      try {
        spec.rateBps = parseRate(arg);
      } catch (err) {
        throw new FaultSpecError(`slow-source rate "${arg}": ${(err as Error).message}`);
      }
      if (spec.rateBps <= 0) throw new FaultSpecError('slow-source: the rate must be greater than 0');
    } else {
      spec.latencyMs = duration(arg, 'latency');
      if (spec.latencyMs <= 0) throw new FaultSpecError('slow-source: the latency must be greater than 0');
    }
  } else if (arg !== undefined) {
    throw new FaultSpecError(`${kind} takes no argument (got ":${arg}")`);
  }
  return spec;
}

/** The phase name a strategy must declare for `phase` to come. */
export function requiredPhase(phase: FaultPhase): PhaseName {
  return phase.name;
}

/** Whether the fault ends the source for good (its data can no longer be read). */
export function losesSource(spec: FaultSpec): boolean {
  return spec.kind === 'source-crash';
}
