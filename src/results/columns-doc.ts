/**
 * The column reference of docs/results.md, rendered from the code's column lists so the
 * page cannot drift from what runs.csv and timeline.csv really hold. test/docs.test.ts
 * fails when the page's generated block differs from what these functions render.
 */
import { RUN_COLUMNS, TIMELINE_COLUMNS, type RunColumn, type TimelineColumn } from './columns.js';

/** Columns documented together, with what they mean. */
export interface ColumnDoc<C extends string> {
  columns: readonly C[];
  meaning: string;
}


/**
 * What each runs.csv column means (the README's column reference, moved here). Grouped
 * columns share one line; the rendered table orders groups by their first column in
 * RUN_COLUMNS, so the order of this list does not matter, but every column must be in
 * exactly one group.
 */
export const RUN_COLUMN_DOCS: readonly ColumnDoc<RunColumn>[] = [
  { columns: ['run_id', 'strategy', 'rep'], meaning: 'identity of the row' },
  {
    columns: ['sweep_point'],
    meaning: 'the sweep point of the row, e.g. `size=64MiB link=1Gbit/s` (empty without a sweep; also in `timeline.csv`)',
  },
  { columns: ['backend', 'region_size_bytes'], meaning: 'clone backend and region (qcow2 cluster) size, on clone rows' },
  {
    columns: ['size_bytes', 'block_size_bytes', 'write_rate_bps', 'read_rate_per_s', 'link_bps', 'latency_ms'],
    meaning: 'the scenario',
  },
  {
    columns: ['link_measured_bps'],
    meaning: 'NBD throughput A→B measured over the shaped link before the run (nbdcopy of a pattern export, ~2 s worth)',
  },
  { columns: ['link_rtt_measured_ms'], meaning: 'mean time of one synchronous 4 KiB NBD read A→B (round trip + added latency)' },
  { columns: ['interruption_ms'], meaning: '`first_ack_dest − last_ack_source`; 0 when negative' },
  { columns: ['split_brain_ms'], meaning: 'how long both instances acknowledged writes at once' },
  { columns: ['migration_ms'], meaning: 'migration start → the source can be released' },
  { columns: ['hydration_ms'], meaning: 'destination up → all data present on it (0 if the data moved before boot)' },
  { columns: ['hydration_bps'], meaning: 'volume size / (clone ready → hydration done), on clone rows' },
  { columns: ['hydration_paused_ms'], meaning: "how long the qemu clone's background hydration paused while reads waited on B's FUSE connection (`--hydration-yield`); 0 when it could pause and never had to, empty when it cannot pause (off, `--hydration-rate`, dm-clone)" },
  {
    columns: ['lost_bytes'],
    meaning: 'destination blocks holding no acceptable version (an older one, or zeros) and not diverged; versions written at overlapping times are all acceptable',
  },
  { columns: ['corrupt_bytes'], meaning: 'destination blocks whose header or payload does not check out (counted in no other class)' },
  {
    columns: ['diverged_bytes'],
    meaning:
      'destination blocks holding no acceptable version where one of the possible final versions was written by the old instance after the new one was up (split brain); counted here, not as lost',
  },
  {
    columns: ['stale_reads'],
    meaning: 'reads that returned a version older than a write acknowledged before the read was scheduled',
  },
  { columns: ['bytes_on_wire'], meaning: 'bytes sent A→B on the link during the migration (interface counter)' },
  { columns: ['copy_ms', 'copy_efficiency'], meaning: 'copy wall time; achieved copy throughput / measured link throughput' },
  {
    columns: [
      'read_p50_us_baseline',
      'read_p99_us_baseline',
      'read_p999_us_baseline',
      'read_p50_us_hydrating',
      'read_p99_us_hydrating',
      'read_p999_us_hydrating',
      'read_max_us_hydrating',
      'read_p50_us_hydrated',
      'read_p99_us_hydrated',
    ],
    meaning:
      "read latency by phase, timed from each read's *scheduled* start (from submission with `--probe fio`); hydrating cells are empty when there was no hydration (`hydration_ms` 0)",
  },
  {
    columns: ['read_probe'],
    meaning: 'the probe that produced the read latency columns: `fio` (default; the stamped instances still check content at up to 50 reads/s) or `stamped` (`--probe`)',
  },
  { columns: ['acked_writes'], meaning: 'acknowledged writes of all instances (the initial fill excluded); requests (HTTP) or commits (PostgreSQL) of application workloads' },
  { columns: ['kill_ms', 'boot_ms'], meaning: 'kill start → done; boot start → first acknowledged write on B' },
  {
    columns: ['clone_ms'],
    meaning: 'kill done → clone usable (`clone_ready`): what of the clone set-up had to follow the kill (everything else is prepared before it), on clone rows',
  },
  {
    columns: ['kill_at_ms', 'boot_at_ms', 'hydration_done_at_ms'],
    meaning:
      'when the kill started, the boot started, and all data was on a running B (where `hydration_ms` ends), in ms from the migration start (`kill_start`, `boot_start`, `hydration_done`; the report marks them on the timelines); empty when the repetition has no such mark',
  },
  {
    columns: ['cpu_s_a', 'cpu_s_b'],
    meaning:
      "CPU seconds (user + system) used by host A's / B's cgroup (`migbench-<run>-a` / `-b`: every process migbench starts on that host — daemons, copiers, workload instances) from the migration start until the strategy returned (after the boot; for clones after hydration and the source's release); kernel threads (loop workers) and processes on the controller (nbdfuse, losetup) are not counted; empty without a cgroup hierarchy",
  },
  {
    columns: ['cpu_s_per_gib_a', 'cpu_s_per_gib_b'],
    meaning: '`cpu_s_a` / `cpu_s_b` per GiB A sent over the link in the same window (`bytes_on_wire` / 2^30): the CPU a strategy costs per GiB it moves; see [performance.md](performance.md)',
  },
  {
    columns: ['fill_ms', 'verify_ms'],
    meaning:
      "the harness's own phases, wall time: laying the workload's initial state on the source (the stamped fill; mkfs and the data set; initdb) and reading the destination back against the journal. Not part of any migration figure; reported so a large volume shows whether the harness, not the strategy, dominates a run (`npm run bench:scale`)",
  },
  {
    columns: ['orchestrator_rss_mib'],
    meaning: "the migbench process's peak resident memory in the run up to the end of this row's verification, MiB (`getrusage` maxrss): per-block state is a few bytes per block, so it grows slowly with the volume (`npm run bench:scale`)",
  },
  {
    columns: ['clock_offset_a_ms', 'clock_offset_b_ms', 'clock_uncertainty_ms'],
    meaning:
      "real hosts only (`--hosts`): host A's / B's clock minus the controller's, measured before the run (tightest of 16 SSH round trips) and subtracted from every timestamp that host's processes reported; the worse of the two uncertainties (half that round trip); empty in the embedded lab, where every host shares the controller's clock. meta.json `remote.clocks` adds the measurement after the run and the drift; see [remote-hosts.md](remote-hosts.md)",
  },
  { columns: ['workload'], meaning: '`stamped`, `http` or `postgres`' },
  {
    columns: ['volume', 'drain_ms'],
    meaning:
      "drains (`--volumes N`): the volume's number (1…N), and on every row of the drain the time from the first volume's migration start to the last volume's source release",
  },
  {
    columns: ['client_gap_ms'],
    meaning: 'HTTP workload: the longest interval without a successful response, from the first response on A to the last on B (PostgreSQL workload: without a successful COMMIT)',
  },
  {
    columns: ['errors', 'timeouts'],
    meaning:
      'HTTP workload: failed requests the clients saw (connection errors and non-2xx answers), and requests given up after 10 s; PostgreSQL workload: transactions that failed (rolled back, or their connection lost before COMMIT answered), and transactions given up after 10 s',
  },
  {
    columns: ['lost_commits'],
    meaning: 'PostgreSQL workload: transactions whose COMMIT the clients saw succeed and that are missing from the migrated database (docs/workloads-postgres.md)',
  },
  {
    columns: ['recovery_ms', 'recovery_log_ms'],
    meaning:
      "PostgreSQL workload: boot start → the destination's server accepts connections (mount with ext4 journal replay + PostgreSQL crash recovery; `pg_isready` polled every 20 ms); the same to the server log's \"database system is ready to accept connections\" line (wall clock, ms): the cross-check",
  },
  {
    columns: ['integrity_ok'],
    meaning:
      'PostgreSQL workload: `true` when amcheck (`bt_index_check` with heapallindexed) passes on every index of the tables and the data is self-consistent (every transaction whole, hot-row counters equal to the transactions present, nothing present the clients saw fail); what failed goes to `warnings`',
  },
  {
    columns: ['tps_baseline', 'tps_migration', 'tps_after'],
    meaning: 'PostgreSQL workload: commits per second, first commit → migration start; migration start → source released (outage included); then → end',
  },
  {
    columns: ['fsck_exit', 'fsck_fixes'],
    meaning:
      "PostgreSQL workload: empty when B's filesystem mounted and its database started at the first try; otherwise `e2fsck -fy` ran on B's volume before a second try (docs/workloads-postgres.md, \"boot\"): its exit status (1 errors corrected, 4 errors left uncorrected, 8 operational error) and the number of problems it fixed",
  },
  {
    columns: ['db_boot_failed', 'db_boot_error'],
    meaning:
      "PostgreSQL workload: `true` when the database never came up on B, even after e2fsck (a result, status stays `ok`): `lost_commits` is then every acknowledged commit, `integrity_ok` false, `recovery_ms`, `interruption_ms`, `split_brain_ms` and `boot_ms` empty; the reason (the mount's or the server's error, with its log's FATAL/PANIC lines)",
  },
  {
    columns: ['lost_requests'],
    meaning: "HTTP workload: requests answered 200 (durable) whose record is missing from the destination's filesystem after the run",
  },
  {
    columns: ['rounds', 'converged'],
    meaning:
      'precopy: copy passes while A ran (the full copy included); whether the dirty set fell to `--converge-bytes` (`false`: a round did not shrink it, or `--max-rounds` was hit)',
  },
  {
    columns: ['final_delta_bytes', 'final_delta_ms', 'final_list_ms'],
    meaning:
      'precopy: bytes dirty at the kill, copied after it; time of that last pass (bitmap rotation + listing + copy) and of its rotation + listing part',
  },
  {
    columns: ['final_copy_ms', 'final_flush_ms'],
    meaning:
      "precopy: the last pass's copy (the round copier's reads from A and writes to B) and its flush (fdatasync of B's device), as the copier times them; `final_delta_ms` less these and `final_list_ms` is the hand-over to and from the copier",
  },
  {
    columns: ['tracking'],
    meaning: "precopy: how A's writes were tracked, `qemu` (dirty bitmaps) or `dm-era` (the kernel's era target)",
  },
  { columns: ['backup_age_ms'], meaning: 'backup-restore: backup point (start of the point-in-time backup job) → kill' },
  {
    columns: ['write_p99_us_baseline', 'write_p99_us_premigration'],
    meaning:
      'p99 of one durable write on A (stamp → ack), in the baseline and from the migration start to the kill (while rounds, mirroring or the backup run; for strategies that kill first only the few ms before the kill, usually blank)',
  },
  {
    columns: ['corrupt_reads'],
    meaning: 'checked reads, on either side and in every phase, that returned a block that does not check out (torn, garbage, misplaced); blank for the HTTP workload',
  },
  {
    columns: ['write_rate_achieved_bps_baseline', 'write_rate_achieved_bps_migration', 'write_rate_achieved_bps_after'],
    meaning: 'acknowledged write bits per second delivered: A from its first ack to the migration start; both instances from the start to the source release (interruption included); from then to the end',
  },
  {
    columns: ['read_rate_achieved_per_s'],
    meaning: 'timed reads on A scheduled in the baseline and completed, per second (of the probe in `read_probe`), vs `read_rate_per_s` asked',
  },
  {
    columns: ['write_pattern', 'read_pattern'],
    meaning: 'the access patterns of the stamped writes and reads (`--write-pattern`, `--read-pattern`; `uniform` by default), canonical text (docs/workloads.md)',
  },
  {
    columns: ['distinct_blocks_written_migration'],
    meaning: "distinct blocks acknowledged from the migration start to its end (the window of `write_rate_achieved_bps_migration`): the writable working set pre-copy's rounds chase; blank for the HTTP workload",
  },
  {
    columns: ['hot_blocks_90pct_migration'],
    meaning: 'the fewest blocks that took 90 % of those writes (≈ 0.9 × distinct for uniform writes, small for a hot set)',
  },
  {
    columns: ['warnings'],
    meaning: 'semicolon-separated: the baseline delivered more than 5 % less than the asked write or read rate (the row measured another scenario); PostgreSQL workload: which integrity check failed',
  },
  { columns: ['status', 'error'], meaning: '`ok`, or `failed` with the step that failed and why' },
  // Faults (issue 12; docs/faults.md)
  { columns: ['fault'], meaning: 'the `--fault` injected (blank without one)' },
  { columns: ['fault_at_ms', 'fault_ms'], meaning: 'when the fault started, from the migration start, and how long it lasted (blank: its phase never came, or it lasts for good)' },
  { columns: ['stall_ms'], meaning: "fault rows: the longest time the destination's workload completed no I/O (write acks, reads), from its first ack to the end" },
  { columns: ['read_errors', 'write_errors'], meaning: 'fault rows: reads and writes that failed (EIO…) in the workload instances of both sides, which counted them and went on' },
  { columns: ['unavailable_bytes'], meaning: "fault rows: bytes not on the destination when the source died for good (from the clone's map of what is on B): data it can never read; 0 when recovered" },
  { columns: ['exposure_ms'], meaning: 'clone ready → source released (→ end if never released): how long the destination depended on the source; 0 for strategies that copy before boot' },
  { columns: ['recovered'], meaning: 'fault rows: `true` when the migration completed after the fault, `false` when it could not (a result, not an error: `status` stays `ok`)' },
  { columns: ['resume_ms'], meaning: 'fault rows: fault end → the link carries the migration again (first window of the sampler with traffic A→B); blank when nothing moved after it' },
];

/** What each timeline.csv column means: one row per `--window` of one repetition. */
export const TIMELINE_COLUMN_DOCS: readonly ColumnDoc<TimelineColumn>[] = [
  { columns: ['run_id', 'strategy', 'rep', 'sweep_point', 'volume'], meaning: 'the repetition, as in `runs.csv`' },
  { columns: ['t_ms'], meaning: 'start of the window, relative to the migration start (negative = baseline)' },
  { columns: ['hydrated_fraction'], meaning: 'hydrated fraction of the destination at the last sample in the window (blank before the first)' },
  { columns: ['reads'], meaning: 'reads scheduled in the window' },
  {
    columns: ['read_p50_us', 'read_p99_us'],
    meaning: "p50 / p99 latency of those reads, from each read's scheduled start (computed from the reads, never averaged)",
  },
  { columns: ['corrupt_reads'], meaning: 'reads scheduled in the window whose block did not check out' },
  { columns: ['write_acks'], meaning: 'writes acknowledged in the window' },
  { columns: ['wire_bytes'], meaning: 'bytes sent A→B on the link in the window (interface counter)' },
  {
    columns: ['precopy_round'],
    meaning: 'precopy: the first pass that started in the window (`0` = full copy, `final` = after the kill)',
  },
  { columns: ['dirty_bytes'], meaning: 'precopy: dirty bytes of the passes that started in the window' },
  { columns: ['distinct_blocks_written'], meaning: 'distinct blocks acknowledged in the window (blank for the HTTP workload)' },
  {
    columns: ['working_set_blocks'],
    meaning: 'the cumulative writable working set: distinct blocks acknowledged from the migration start to the end of the window (blank in the baseline and for the HTTP workload)',
  },
  { columns: ['fault_active'], meaning: '1 when the injected fault was on during part of the window, else 0 (blank without a fault)' },
];

/** A Markdown table of `docs`, one line per group in the order of `order`; throws when a column is missing or twice. */
export function renderColumnTable<C extends string>(order: readonly C[], docs: readonly ColumnDoc<C>[]): string {
  const seen = new Map<C, ColumnDoc<C>>();
  for (const d of docs) {
    for (const c of d.columns) {
      if (seen.has(c)) throw new Error(`column ${c} is documented twice`);
      if (!order.includes(c)) throw new Error(`column ${c} is documented but not written`);
      seen.set(c, d);
    }
  }
  const missing = order.filter((c) => !seen.has(c));
  if (missing.length) throw new Error(`columns without a description: ${missing.join(', ')}`);
  const lines = ['| column | meaning |', '|---|---|'];
  const done = new Set<ColumnDoc<C>>();
  for (const c of order) {
    const d = seen.get(c)!;
    if (done.has(d)) continue;
    done.add(d);
    // Within a group the code's order, too, so a reordered column list shows in the diff.
    const names = order.filter((x) => d.columns.includes(x));
    lines.push(`| \`${names.join(', ')}\` | ${d.meaning} |`);
  }
  return lines.join('\n');
}

/** The runs.csv column table of docs/results.md. */
export function renderRunColumnsDoc(): string {
  return renderColumnTable(RUN_COLUMNS, RUN_COLUMN_DOCS);
}

/** The timeline.csv column table of docs/results.md. */
export function renderTimelineColumnsDoc(): string {
  return renderColumnTable(TIMELINE_COLUMNS, TIMELINE_COLUMN_DOCS);
}

/**
 * `markdown` with the text between `<!-- NAME:begin -->` and `<!-- NAME:end -->` replaced
 * by `body`; throws when the markers are missing, so a renamed marker fails loudly.
 */
export function replaceGenerated(markdown: string, name: string, body: string): string {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const i = markdown.indexOf(begin);
  const j = markdown.indexOf(end);
  if (i < 0 || j < i) throw new Error(`markers ${begin} … ${end} not found`);
  return `${markdown.slice(0, i + begin.length)}\n${body}\n${markdown.slice(j)}`;
}
