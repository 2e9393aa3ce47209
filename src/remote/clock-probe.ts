import type { Host } from '../host/host.js';
import { onLines } from '../host/lines.js';
import type { ResourceScope } from '../lab/scope.js';
import { estimateOffset, type ClockEstimate, type ClockSample } from './clock.js';

/** Round trips per measurement: the tightest one is kept. */
export const CLOCK_ROUND_TRIPS = 16;

/**
 * The responder run on the host: answers each line on stdin with its CLOCK_MONOTONIC in
 * ns (the clock migbench's processes stamp with). One process for all round trips, so a
 * round trip is the connection's, not a process start's.
 */
const RESPONDER = "process.stdin.on('data',(d)=>{for(const c of d)if(c===10)process.stdout.write(process.hrtime.bigint()+'\\n')})";

/**
 * Measures `host`'s clock offset to this process's over `rounds` round trips (NTP-style:
 * see clock.ts). Needs node on the host (migbench's runtime).
 */
export async function measureClock(scope: ResourceScope, host: Host, rounds = CLOCK_ROUND_TRIPS): Promise<ClockEstimate> {
  const p = host.start(scope, 'node', ['-e', RESPONDER], { stdin: 'pipe', stdout: 'pipe', stopGraceMs: 2000 });
  const answers: ((line: string) => void)[] = [];
  onLines(p.stdout!, (line) => answers.shift()?.(line));
  const samples: ClockSample[] = [];
  try {
    for (let i = 0; i < rounds + 1; i++) {
      const answer = new Promise<string>((resolve, reject) => {
        answers.push(resolve);
        void p.exited.then((s) => reject(new Error(`clock responder on ${host.name} exited: ${s.stderr.trim()}`)));
      });
      const sentNs = Number(process.hrtime.bigint());
      p.stdin!.write('\n');
      const line = await answer;
      const receivedNs = Number(process.hrtime.bigint());
      // The first round trip pays for node's start: not a sample.
      if (i > 0) samples.push({ sentNs, hostNs: Number(line), receivedNs });
    }
  } finally {
    p.stdin!.end();
    await p.stop();
  }
  return estimateOffset(samples);
}
