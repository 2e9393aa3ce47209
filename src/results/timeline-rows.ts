import { percentileSorted } from '../measure/percentiles.js';
import { workingSetSeries } from '../measure/working-set.js';
import type { TimelineRow } from './columns.js';
import { precopyWindow } from './precopy-cells.js';
import { faultWindow } from '../fault/cells.js';
import type { RepetitionResult } from './repetition-result.js';

/**
 * Per-window series of one repetition: windows of `windowMs` from the start of the
 * baseline to the end, `t_ms` relative to the migration start (negative = baseline).
 * Percentiles are computed from the reads scheduled in each window, never averaged.
 */
export function timelineRows(runId: string, r: RepetitionResult, windowMs: number): TimelineRow[] {
  const t = r.timeline;
  const start = t.get('start')!;
  const from = t.get('warmup_start') ?? start;
  const end = t.get('end') ?? start;
  const w = windowMs * 1e6;
  const first = Math.floor((from - start) / w);
  const count = Math.max(0, Math.ceil((end - start) / w) - first);
  const lat: number[][] = Array.from({ length: count }, () => []);
  const bad = new Array<number>(count).fill(0);
  const acks = new Array<number>(count).fill(0);
  const slot = (ns: number): number => Math.floor((ns - start) / w) - first;
  for (const rd of r.reads) {
    const k = slot(rd.scheduledNs);
    if (k < 0 || k >= count) continue;
    lat[k]!.push((rd.completedNs - rd.scheduledNs) / 1e3);
  }
  // Corrupt reads come from the reads whose content was checked (with fio timing, not the same reads).
  for (const rd of r.checkedReads ?? r.reads) {
    const k = slot(rd.scheduledNs);
    if (k >= 0 && k < count && rd.state === 2) bad[k]!++;
  }
  for (const a of r.acks) {
    const k = slot(a.ackNs);
    if (k >= 0 && k < count) acks[k]!++;
  }
  // The HTTP workload's acks are requests, not blocks: no working set.
  const ws = r.app ? undefined : workingSetSeries(r.acks, start + first * w, w, count, start);
  const samples = t.samples;
  const rows: TimelineRow[] = [];
  let si = 0;
  let hydrated: number | string = '';
  let lastTx: number | undefined;
  for (let k = 0; k < count; k++) {
    const windowEnd = start + (first + k + 1) * w;
    let wire: number | undefined;
    while (si < samples.length && samples[si]!.tNs < windowEnd) {
      const sm = samples[si++]!;
      if (lastTx !== undefined) wire = (wire ?? 0) + (sm.txBytes - lastTx);
      lastTx = sm.txBytes;
      hydrated = sm.hydrated;
    }
    const sorted = Float64Array.from(lat[k]!).sort();
    rows.push({
      run_id: runId,
      strategy: r.strategy,
      rep: r.rep,
      sweep_point: '',
      volume: r.volume ?? '',
      t_ms: (first + k) * windowMs,
      hydrated_fraction: hydrated,
      reads: sorted.length,
      read_p50_us: sorted.length ? Number(percentileSorted(sorted, 0.5).toFixed(1)) : '',
      read_p99_us: sorted.length ? Number(percentileSorted(sorted, 0.99).toFixed(1)) : '',
      corrupt_reads: bad[k]!,
      write_acks: acks[k]!,
      wire_bytes: wire ?? '',
      ...precopyWindow(r, start + (first + k) * w, windowEnd),
      distinct_blocks_written: ws ? ws.distinct[k]! : '',
      working_set_blocks: ws?.cumulative[k] ?? '',
      ...faultWindow(r, start + (first + k) * w, windowEnd),
    });
  }
  return rows;
}
