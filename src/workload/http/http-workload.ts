import { join } from 'node:path';
import { fileHost } from '../../host/host-files.js';
import { ResourceScope } from '../../lab/scope.js';
import { clientGapMs, firstAckOf, lastAckOf, lostRequests, type AppAck } from '../../measure/app-metrics.js';
import type { Timeline } from '../../measure/timeline.js';
import { emptyVerification } from '../../measure/verifier.js';
import { RecordType, type AckRecord } from '../records.js';
import { WorkloadStateError, type Workload, type WorkloadEnv, type WorkloadFigures } from '../workload.js';
import { DATA_FILE, dataFileSlots, makeFilesystem, mountFilesystem, preallocateDataFile, readDataFile, type MountedFs } from './filesystem.js';
import { MountTrees } from './mount-trees.js';
import { HttpLoad, type LoadTotals } from './load.js';
import { HttpService } from './service.js';
import { scanDataFile } from './slot-record.js';

export const SOURCE_SERVICE_EPOCH = 1;
export const DEST_SERVICE_EPOCH = 2;
/** Service port on each host; a drain volume adds its number. */
export const HTTP_PORT = 8080;
/** Seconds a client waits for a response before it counts a timeout. */
const CLIENT_TIMEOUT_S = 10;

/**
 * The HTTP workload (`--workload http`): ext4 on the source volume with a preallocated
 * data file, the service on A, clients in B's namespace through the front door. *kill*
 * SIGKILLs the service on A (its filesystem stays as a crash left it: mounted, journal
 * not checkpointed). *boot* mounts the destination's filesystem on B (ext4 replays the
 * journal), starts the service there and points the front door at it; B is up at its
 * first successful response. Verification mounts the destination read-only and looks up
 * every acknowledged request id in its data file.
 *
 * Everything that touches a volume's filesystem (mkfs, mounts, the data file, the
 * service) runs on the host that owns the volume, through its Host (fileHost: the
 * controller in the lab, whose namespaces share its mounts; the host itself over SSH),
 * with that host's paths and in its ledger. The clients run on B and address the
 * services at the hosts' data addresses; their response times are put on the
 * controller's clock (load.ts).
 */
export class HttpWorkload implements Workload {
  readonly provisionStep = 'mkfs';
  private readonly port: number;
  /** The repetition's shared mount tree on each host that mounts (one in the lab: the controller's). */
  private readonly mountTrees: MountTrees;
  private sourceFs: MountedFs | undefined;
  private dataFile: string | undefined;
  private source: HttpService | undefined;
  private load: HttpLoad | undefined;
  private dest: HttpService | undefined;
  private destFs: MountedFs | undefined;
  private totals: LoadTotals | undefined;

  constructor(private readonly env: WorkloadEnv) {
    this.port = HTTP_PORT + (env.volume ?? 0);
    this.mountTrees = new MountTrees(env.scope, env.workDir);
  }

  async provision(sourceDevice: string): Promise<void> {
    const { scope, scenario: s, hosts } = this.env;
    const files = fileHost(hosts.a);
    await makeFilesystem(sourceDevice, files);
    this.sourceFs = await mountFilesystem(scope, sourceDevice, join(await this.mountTrees.of(hosts.a), 'a'), { host: files });
    this.dataFile = await preallocateDataFile(this.sourceFs.mountpoint, dataFileSlots(s.sizeBytes), files);
    // B's tree now, not at *boot*: on a real host its set-up costs round trips the
    // interruption should not include (in the lab it is the same tree).
    await this.mountTrees.of(hosts.b);
  }

  async start(device: string): Promise<void> {
    const { scope, scenario: s, hosts, signal, workDir } = this.env;
    if (!this.dataFile || !this.sourceFs) throw new WorkloadStateError('http workload: start before provision');
    // The service writes through the filesystem mounted at provision, on the raw volume.
    if (device !== this.sourceFs.device) throw new WorkloadStateError(`http workload: cannot run on ${device}, a device in front of its filesystem's ${this.sourceFs.device}`);
    this.source = await HttpService.start(scope, hosts.a, { dataFile: this.dataFile, host: hosts.a.address, port: this.port, epoch: SOURCE_SERVICE_EPOCH }, signal);
    this.load = await HttpLoad.start(scope, hosts.b, { target: { host: hosts.a.address, port: this.port }, connections: s.httpConnections, timeoutS: CLIENT_TIMEOUT_S, workDir }, signal);
    await this.load.waitAck(SOURCE_SERVICE_EPOCH, 0, signal);
  }

  async endBaseline(): Promise<void> {
    // Nothing measures the baseline alone: the clients run throughout.
  }

  async kill(): Promise<void> {
    if (!this.source) throw new WorkloadStateError('http workload: kill before start');
    await this.source.kill();
  }

  async boot(device: string): Promise<number> {
    const { scope, hosts, signal } = this.env;
    const load = this.started();
    const since = Number(process.hrtime.bigint());
    const mountpoint = join(await this.mountTrees.of(hosts.b), 'b');
    const [fs, open] = await Promise.all([
      mountFilesystem(scope, device, mountpoint, { host: fileHost(hosts.b) }),
      HttpService.spawn(scope, hosts.b, { dataFile: join(mountpoint, DATA_FILE), host: hosts.b.address, port: this.port, epoch: DEST_SERVICE_EPOCH }, signal),
    ]);
    this.destFs = fs;
    this.dest = await open();
    load.switchTo({ host: hosts.b.address, port: this.port });
    return load.waitAck(DEST_SERVICE_EPOCH, since, signal);
  }

  async waitDestAck(ns: number): Promise<number> {
    return this.started().waitAck(DEST_SERVICE_EPOCH, ns, this.env.signal);
  }

  /**
   * End of the run: stop the clients first (so no response is cut off by a service
   * stopping), then both services, then unmount both filesystems cleanly.
   */
  async stop(): Promise<void> {
    this.totals = await this.load?.stop();
    await this.dest?.stop();
    await this.source?.stop();
    await this.destFs?.unmount();
    await this.sourceFs?.unmount();
  }

  async verify(destDevice: string, timeline: Timeline): Promise<WorkloadFigures> {
    const load = this.started();
    if (!this.totals) throw new WorkloadStateError('http workload: verify before stop');
    // Its own scope: the read-only mount is gone before the repetition's scope closes.
    const verifyScope = new ResourceScope(this.env.scope.ledger);
    let contents;
    try {
      // On the host that owns the destination volume (B's, over SSH on a real host).
      const files = fileHost(this.env.hosts.b);
      const fs = await mountFilesystem(verifyScope, destDevice, join(await this.mountTrees.of(files), 'verify'), { readonly: true, host: files });
      contents = scanDataFile(await readDataFile(fs.mountpoint, files));
    } finally {
      await verifyScope.close();
    }
    const acks = load.acks;
    const lost = lostRequests(acks, contents.ids);
    return {
      verification: emptyVerification(),
      staleReads: 0,
      corruptReads: undefined,
      checkedReads: [],
      ackedWrites: acks.length,
      lastAckSourceNs: lastAckOf(acks, SOURCE_SERVICE_EPOCH),
      metricReads: { source: [], dest: [] },
      reads: [],
      acks: acks.map(asAckRecord),
      // B's service's responses: a fault's stall_ms is the longest silence among them (as B's commits for postgres).
      destCompletionsNs: acks.filter((a) => a.epoch === DEST_SERVICE_EPOCH).map((a) => a.tNs),
      app: {
        // From the first response of the run to the end of the settle window: every silence the clients lived through.
        clientGapMs: clientGapMs(
          acks.map((a) => a.tNs),
          firstAckOf(acks, SOURCE_SERVICE_EPOCH) ?? timeline.get('start')!,
          lastAckOf(acks, DEST_SERVICE_EPOCH) ?? timeline.get('end')!,
        ),
        errors: this.totals.errors,
        timeouts: this.totals.timeouts,
        lostRequests: lost.lost,
        lostSample: lost.sample,
        corruptSlots: contents.corruptSlots + contents.misplaced,
      },
    };
  }

  private started(): HttpLoad {
    if (!this.load) throw new WorkloadStateError('http workload: not started');
    return this.load;
  }
}

/** A response as a timeline.csv write ack (the request id stands in the seq field). */
function asAckRecord(a: AppAck): AckRecord {
  return { type: RecordType.Ack, index: 0, epoch: a.epoch, seq: a.id, stampNs: a.tNs, ackNs: a.tNs };
}
