import { describe, expect, it } from 'vitest';
import { cutPlacement, delayPlacement, hasCut, hasDelay, tbfFifoRestore } from '../../src/fault/remote-link.js';
import { parseFaultSpec } from '../../src/fault/spec.js';
import { cutsLink, delaysLink, remoteLinkFaultProblem } from '../../src/remote/remote-faults.js';
import type { RemoteSide } from '../../src/remote/remote-side.js';

describe('link cut on a real host', () => {
  it('puts the dropping qdisc at the root over the kernel default, under the run’s own tbf, never under a configured root', () => {
    const drop = ['handle', '4e:', 'pfifo', 'limit', '0'];
    expect(cutPlacement('[{"kind":"noqueue","handle":"0:","root":true}]', false, 'eth1')).toEqual({ add: ['add', 'root', ...drop], restore: ['del', 'root'] });
    // tc's own answer for `tbf rate 100mbit burst 500000b latency 50ms`: its FIFO held 625 000 + 500 000 bytes.
    const tbf = '[{"kind":"tbf","handle":"8001:","root":true,"options":{"rate":12500000,"burst":"500000b/1","mpu":0,"lat":50000}}]';
    // Without `-d`, tc gives the burst as a number of bytes.
    expect(cutPlacement(tbf.replace('"500000b/1"', '500000'), true, 'eth1').restore.at(-1)).toBe('1125000');
    expect(cutPlacement(tbf, true, 'eth1')).toEqual({ add: ['replace', 'parent', '8001:1', ...drop], restore: ['replace', 'parent', '8001:1', 'handle', '4f:', 'bfifo', 'limit', '1125000'] });
    // The same tbf, but not the run's: someone else's configuration is left alone.
    expect(() => cutPlacement('[{"kind":"tbf","handle":"8001:","root":true}]', false, 'eth1')).toThrow(/configured root qdisc \(tbf 8001:\)/);
    expect(() => cutPlacement('[{"kind":"fq_codel","handle":"1:","root":true}]', true, 'eth1')).toThrow(/will not change it/);
    expect(hasCut('[{"kind":"tbf","handle":"8001:","root":true},{"kind":"pfifo","handle":"4e:","parent":"8001:1"}]')).toBe(true);
    expect(hasCut('[{"kind":"tbf","handle":"8001:","root":true}]')).toBe(false);
  });

  it('ends a lab slow-source by grafting tbf’s FIFO back in place of the netem (a deleted child would leave noop, dropping everything)', () => {
    const withNetem = '[{"kind":"tbf","handle":"1:","root":true,"options":{"rate":125000000,"burst":500000,"lat":50000}},{"kind":"netem","handle":"4d:","parent":"1:1"}]';
    expect(tbfFifoRestore(withNetem)).toEqual(['parent', '1:1', 'handle', '4f:', 'bfifo', 'limit', String(6_250_000 + 500_000)]);
    expect(() => tbfFifoRestore('[{"kind":"noqueue","handle":"0:","root":true}]')).toThrow(/no root tbf/);
  });

  it('puts slow-source:LATENCY’s netem at an unshaped root, or under the run’s tbf, and restores what was there', () => {
    const netem = ['handle', '4d:', 'netem', 'delay', '50ms', 'limit', '100000'];
    expect(delayPlacement('[{"kind":"noqueue","handle":"0:","root":true}]', false, 'eth1', 50)).toEqual({ add: ['add', 'root', ...netem], restore: ['del', 'root'] });
    const tbf = '[{"kind":"tbf","handle":"8001:","root":true,"options":{"rate":12500000,"burst":500000,"lat":50000}}]';
    expect(delayPlacement(tbf, true, 'eth1', 50)).toEqual({ add: ['replace', 'parent', '8001:1', ...netem], restore: ['replace', 'parent', '8001:1', 'handle', '4f:', 'bfifo', 'limit', '1125000'] });
    expect(() => delayPlacement('[{"kind":"fq_codel","handle":"1:","root":true}]', false, 'eth1', 50)).toThrow(/will not change it to delay the link/);
    expect(hasDelay('[{"kind":"tbf","handle":"8001:","root":true},{"kind":"netem","handle":"4d:","parent":"8001:1"}]')).toBe(true);
    expect(hasDelay('[{"kind":"netem","handle":"4d:","root":true}]')).toBe(true);
    expect(hasDelay('[{"kind":"tbf","handle":"8001:","root":true},{"kind":"bfifo","handle":"4f:","parent":"8001:1"}]')).toBe(false);
  });

  it('tells the link faults: a cut (both ends) or a delay (A’s end)', () => {
    expect(cutsLink(parseFaultSpec('link-flap:2@kill/1s'))).toBe(true);
    expect(cutsLink(parseFaultSpec('source-eio@start/1s'))).toBe(false);
    expect(delaysLink(parseFaultSpec('slow-source:50ms@start/1s'))).toBe(true);
    expect(delaysLink(parseFaultSpec('slow-source:20Mbit/s@start/1s'))).toBe(false);
  });
});

describe('a link fault never cuts SSH', () => {
  /** A side whose SSH session routes its replies over `sshDev` (what `ip -j route get` answers on the host). */
  const side = (iface: string, sshDev: string | undefined, label = 'A'): RemoteSide =>
    ({ name: label.toLowerCase(), label, iface, sh: async () => (sshDev ? `[{"dst":"10.0.0.9","dev":"${sshDev}"}]` : '[]') }) as unknown as RemoteSide;
  const down = parseFaultSpec('link-down@start/1s');

  it('refuses a data link that is the SSH interface, or one it cannot tell; allows separate ones and other faults', async () => {
    expect(await remoteLinkFaultProblem([side('eth1', 'eth0')], [down])).toBeUndefined();
    expect(await remoteLinkFaultProblem([side('eth1', 'eth0'), side('eth0', 'eth0')], [down])).toMatch(/would cut a's eth0, which is also the interface SSH uses/);
    expect(await remoteLinkFaultProblem([side('eth1', undefined)], [down])).toMatch(/cannot tell which interface SSH uses on a/);
    expect(await remoteLinkFaultProblem([side('eth0', 'eth0')], [parseFaultSpec('source-eio@start/1s')])).toBeUndefined();
  });

  it('refuses a delay on A’s SSH interface; B’s is not delayed, so not asked', async () => {
    const slow = parseFaultSpec('slow-source:50ms@start/1s');
    expect(await remoteLinkFaultProblem([side('eth0', 'eth0')], [slow])).toMatch(/would delay a's eth0, which is also the interface SSH uses/);
    expect(await remoteLinkFaultProblem([side('eth1', undefined)], [slow])).toMatch(/cannot tell .* eth1 is not delayed/);
    expect(await remoteLinkFaultProblem([side('eth1', 'eth0'), side('eth0', 'eth0', 'B')], [slow])).toBeUndefined();
    expect(await remoteLinkFaultProblem([side('eth1', 'eth0'), side('eth0', 'eth0', 'B')], [down])).toMatch(/would cut b's eth0/);
  });
});
