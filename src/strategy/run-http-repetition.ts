import { join } from 'node:path';
import { ResourceScope } from '../lab/scope.js';
import { clientGapMs, firstAckOf, lastAckOf, lostRequests, type AppAck } from '../measure/app-metrics.js';
import { migrationMetrics } from '../measure/metrics.js';
import { Timeline } from '../measure/timeline.js';
import { emptyVerification } from '../measure/verifier.js';
import { dataFileSlots, makeFilesystem, mountFilesystem, preallocateDataFile, readDataFile, sharedMountTree } from '../workload/http/filesystem.js';
import { DEST_SERVICE_EPOCH, HTTP_PORT, HttpWorkload, SOURCE_SERVICE_EPOCH } from '../workload/http/http-workload.js';
import { HttpLoad } from '../workload/http/load.js';
import { HttpService } from '../workload/http/service.js';
import { scanDataFile } from '../workload/http/slot-record.js';
import type { Instance } from '../workload/instance.js';
import { RecordType, type AckRecord } from '../workload/records.js';
import type { MigrationContext } from './context.js';
import type { RepetitionResult } from '../results/repetition-result.js';
import { exportSource, inRepetition, migrate, provisionRepetition, type RepetitionInput } from './run-repetition.js';
import { sleep } from '../lab/wait.js';

/** Seconds a client waits for a response before it counts a timeout. */
const CLIENT_TIMEOUT_S = 10;

/** `source.instance` under the HTTP workload: there is no stamped instance, and using one is a bug. */
const NO_STAMPED_INSTANCE = new Proxy({} as Instance, {
  get(_t, prop) {
    throw new Error(`the stamped instance is not running under --workload http (accessed .${String(prop)})`);
  },
});

/**
 * One strategy × repetition with the HTTP workload: ext4 on the source volume, the
 * service on A, clients in B's namespace through the front door; migrate; the
 * destination serves for the settle window; then the clients stop, the services stop,
 * and the destination's filesystem is mounted read-only and every acknowledged request
 * id looked up in its data file.
 */
export async function runHttpRepetition(input: RepetitionInput): Promise<RepetitionResult> {
  const { scenario: s, strategy, hosts, signal } = input;
  const port = HTTP_PORT + (input.volume ?? 0);
  const timeline = new Timeline();
  return inRepetition(input, async (scope, enter) => {
    enter('provision');
    const { workDir, sourceDevice, destDevice } = await provisionRepetition(scope, input);

    enter('mkfs');
    await makeFilesystem(sourceDevice);
    const mnt = await sharedMountTree(scope, join(workDir, 'mnt'));
    const sourceFs = await mountFilesystem(scope, sourceDevice, join(mnt, 'a'));
    const dataFile = await preallocateDataFile(sourceFs.mountpoint, dataFileSlots(s.sizeBytes));

    enter('export');
    const exp = await exportSource(scope, input, workDir, sourceDevice);

    enter('warmup');
    timeline.mark('warmup_start');
    const service = await HttpService.start(scope, hosts.a.netns, { dataFile, host: hosts.a.address, port, epoch: SOURCE_SERVICE_EPOCH }, signal);
    const load = await HttpLoad.start(scope, hosts.b.netns, { target: { host: hosts.a.address, port }, connections: s.httpConnections, timeoutS: CLIENT_TIMEOUT_S, workDir }, signal);
    await load.waitAck(SOURCE_SERVICE_EPOCH, 0, signal);
    await sleep(s.warmupMs, signal);
    await input.beforeStart?.();

    const app = new HttpWorkload(scope, hosts.b, port, mnt, load, service, sourceFs);
    const ctx: MigrationContext = {
      scope,
      scenario: s,
      hosts,
      link: input.link,
      timeline,
      workDir,
      source: { device: sourceDevice, export: exp, instance: NO_STAMPED_INSTANCE },
      dest: { device: destDevice },
      signal,
      hydrated: 0,
      afterStop: [],
      cloneBackend: input.cloneBackend,
      volume: input.volume,
      app,
    };
    enter(strategy.name);
    const { wireBytes, sampler } = await migrate(ctx, strategy);
    if (!app.dest) throw new Error(`strategy ${strategy.name} never booted the destination`);

    enter('settle');
    await sleep(s.settleMs, signal);
    const totals = await app.stopAll();
    timeline.mark('end');
    await sampler.final();
    for (const after of ctx.afterStop) await after();

    enter('verify');
    const verifyScope = new ResourceScope(input.scope.ledger);
    let contents;
    try {
      const fs = await mountFilesystem(verifyScope, destDevice, join(mnt, 'verify'), { readonly: true });
      contents = scanDataFile(await readDataFile(fs.mountpoint));
    } finally {
      await verifyScope.close();
    }
    const acks = load.acks;
    const lost = lostRequests(acks, contents.ids);
    const firstAckDest = timeline.get('first_ack_dest')!;
    const lastAckSource = lastAckOf(acks, SOURCE_SERVICE_EPOCH) ?? timeline.get('start')!;
    timeline.mark('last_ack_source', lastAckSource);
    const metrics = migrationMetrics(timeline, lastAckSource, firstAckDest, [], []);
    return {
      strategy: strategy.name,
      rep: input.rep,
      status: 'ok',
      error: '',
      metrics,
      verification: emptyVerification(),
      staleReads: 0,
      ackedWrites: acks.length,
      bytesOnWire: wireBytes,
      copySeconds: ctx.copySeconds,
      backend: ctx.backend,
      timeline,
      reads: [],
      acks: acks.map(asAckRecord),
      app: {
        // From the first response of the run to the end of the settle window: every silence the clients lived through.
        clientGapMs: clientGapMs(
          acks.map((a) => a.tNs),
          firstAckOf(acks, SOURCE_SERVICE_EPOCH) ?? timeline.get('start')!,
          lastAckOf(acks, DEST_SERVICE_EPOCH) ?? timeline.get('end')!,
        ),
        errors: totals.errors,
        timeouts: totals.timeouts,
        lostRequests: lost.lost,
        lostSample: lost.sample,
        corruptSlots: contents.corruptSlots + contents.misplaced,
      },
      ...(input.volume !== undefined ? { volume: input.volume } : {}),
    };
  });
}

/** A response as a timeline.csv write ack (the request id stands in the seq field). */
function asAckRecord(a: AppAck): AckRecord {
  return { type: RecordType.Ack, index: 0, epoch: a.epoch, seq: a.id, stampNs: a.tNs, ackNs: a.tNs };
}
