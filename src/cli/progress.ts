/**
 * Progress of a run on stderr. On a terminal: one status line redrawn in place — k/N
 * repetitions, elapsed time, ETA, the repetition and step being run, and a bar while a
 * copy or hydration reports how far it got. Elsewhere (CI logs): one line per finished
 * repetition and the failures, no per-step lines — unless `MIGBENCH_PROGRESS=steps`, which
 * adds a line per step (`rep 1/3 async-clone: warmup…`) for scripts and tests that follow a
 * run's steps. The text is built by pure functions so tests can inject the times.
 */

/** What the status line shows. */
export interface ProgressState {
  done: number;
  total: number;
  elapsedMs: number;
  /** undefined: nothing to base an estimate on. */
  etaMs: number | undefined;
  /** `rep 1/3 async-clone`, while a repetition runs. */
  current?: string | undefined;
  step?: string | undefined;
  /** Copy or hydration progress in [0, 1], when the step reports it. */
  fraction?: number | undefined;
}

/** `0:42`, `12:05`, `1:02:03`. */
export function formatClock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/**
 * Time left: the mean of the finished repetitions times those left, less what the
 * current one has already run; before any has finished, the dry-run estimate of the
 * whole run less the time elapsed. Never negative.
 */
export function etaMs(p: { done: number; total: number; finishedMs: readonly number[]; currentMs: number; elapsedMs: number; estimateMs: number | undefined }): number | undefined {
  if (p.finishedMs.length === 0) return p.estimateMs === undefined ? undefined : Math.max(0, p.estimateMs - p.elapsedMs);
  const mean = p.finishedMs.reduce((a, b) => a + b, 0) / p.finishedMs.length;
  return Math.max(0, mean * (p.total - p.done) - p.currentMs);
}

/** A bar of `width` cells and a percentage for a fraction in [0, 1]: `[#####-----]  50%` (ASCII: any terminal, any log). */
export function bar(fraction: number, width = 20): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
}

/** `[3/30] 0:42 elapsed, ETA 4:10 · rep 1/3 async-clone: async-clone [######--------------]  30%`. */
export function progressText(s: ProgressState): string {
  const eta = s.etaMs === undefined ? '' : `, ETA ${formatClock(s.etaMs)}`;
  const head = `[${s.done}/${s.total}] ${formatClock(s.elapsedMs)} elapsed${eta}`;
  if (!s.current) return s.step ? `${head} · ${s.step}` : head;
  const step = s.step ? `: ${s.step}` : '';
  return `${head} · ${s.current}${step}${s.fraction === undefined ? '' : ` ${bar(s.fraction)}`}`;
}

/** `[3/30 0:42]`: the prefix of a finished repetition's line. */
export function doneTag(done: number, total: number, elapsedMs: number): string {
  return `[${done}/${total} ${formatClock(elapsedMs)}]`;
}

/** Where progress goes: a stream, and whether it is a terminal (and how wide). */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

export interface ProgressOptions {
  /** Repetitions the run will carry out (a drain of N volumes counts once). */
  total: number;
  /** The dry-run estimate of the whole run (ms), for the ETA before a repetition has finished. */
  estimateMs?: number | undefined;
  sink?: ProgressSink;
  now?: () => number;
  /** Off a terminal, also a line per step (default: `MIGBENCH_PROGRESS=steps`). */
  steps?: boolean;
}

/** The run's progress display (see the file comment). */
export class Progress {
  private readonly sink: ProgressSink;
  private readonly tty: boolean;
  private readonly steps: boolean;
  private readonly now: () => number;
  private readonly started: number;
  private readonly finishedMs: number[] = [];
  private done = 0;
  private current: string | undefined;
  private currentStart = 0;
  private step: string | undefined;
  private fractionValue: number | undefined;
  private drawn = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: ProgressOptions) {
    this.sink = opts.sink ?? process.stderr;
    this.tty = this.sink.isTTY === true;
    this.steps = !this.tty && (opts.steps ?? process.env.MIGBENCH_PROGRESS === 'steps');
    this.now = opts.now ?? Date.now;
    this.started = this.now();
    if (this.tty) {
      // The clock ticks between events; unref'd so it never holds the process open.
      this.timer = setInterval(() => this.draw(), 1000);
      this.timer.unref();
    }
  }

  /** The state the status line shows now. */
  state(): ProgressState {
    const t = this.now();
    const elapsedMs = t - this.started;
    const currentMs = this.current ? t - this.currentStart : 0;
    return {
      done: this.done,
      total: this.opts.total,
      elapsedMs,
      etaMs: etaMs({ done: this.done, total: this.opts.total, finishedMs: this.finishedMs, currentMs, elapsedMs, estimateMs: this.opts.estimateMs }),
      current: this.current,
      step: this.step,
      fraction: this.fractionValue,
    };
  }

  /** A phase outside any repetition (provisioning the lab): on a terminal only. */
  status(text: string): void {
    this.current = undefined;
    this.step = text;
    this.fractionValue = undefined;
    if (this.steps) this.sink.write(`${text}\n`);
    this.draw();
  }

  /** A repetition starts. */
  begin(label: string): void {
    this.current = label;
    this.currentStart = this.now();
    this.step = undefined;
    this.fractionValue = undefined;
    this.draw();
  }

  /**
   * The step the current repetition is in, and how the status line words it (`migrating`
   * for the strategy's own step); the bar is the step's own, so it goes.
   */
  stepTo(step: string, shown = step): void {
    if (this.steps) this.sink.write(`${this.current ? `${this.current}: ` : ''}${step}…\n`);
    this.step = shown;
    this.fractionValue = undefined;
    this.draw();
  }

  /** How far the current copy or hydration got, in [0, 1]. */
  fraction(f: number): void {
    const before = this.fractionValue === undefined ? -1 : Math.floor(this.fractionValue * 100);
    this.fractionValue = f;
    if (Math.floor(f * 100) !== before) this.draw();
  }

  /** The current repetition finished (or failed): `text` stays, prefixed `[k/N elapsed]`. */
  end(text: string): void {
    this.done++;
    if (this.current) this.finishedMs.push(this.now() - this.currentStart);
    this.current = undefined;
    this.step = undefined;
    this.fractionValue = undefined;
    this.line(`${doneTag(this.done, this.opts.total, this.now() - this.started)} ${text}`);
  }

  /** A line that stays (results, warnings, the link measured). */
  line(text: string): void {
    this.erase();
    this.sink.write(`${text}\n`);
    this.draw();
  }

  /** Removes the status line (before the summary on stdout) and stops the clock. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.current = undefined;
    this.step = undefined;
    this.erase();
  }

  private erase(): void {
    if (this.drawn) this.sink.write('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(): void {
    if (!this.tty || (!this.current && !this.step)) return;
    // Never wider than the terminal: a wrapped line cannot be redrawn in place.
    const width = Math.max(20, (this.sink.columns ?? 120) - 1);
    const text = progressText(this.state());
    this.sink.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.drawn = true;
  }
}
