import { describe, expect, it } from 'vitest';
import { EXPORT_ROLES, exportPort, LINK_PROBE_PORTS, NBD_PORT } from '../../src/lab/ports.js';

describe('exportPort', () => {
  it('keeps the ports a single repetition has always used', () => {
    expect(exportPort('source')).toBe(NBD_PORT);
    expect(exportPort('tracked')).toBe(NBD_PORT + 2);
    expect(exportPort('mirror-target')).toBe(NBD_PORT + 3);
    expect(exportPort('backup')).toBe(NBD_PORT + 4);
  });

  it('gives every (role, volume) pair of drains of up to 64 volumes a port of its own', () => {
    const owner = new Map<number, string>();
    for (const volume of [undefined, ...Array.from({ length: 64 }, (_, i) => i + 1)]) {
      for (const role of EXPORT_ROLES) {
        const port = exportPort(role, volume);
        const who = `${role} v${volume ?? '-'}`;
        expect(owner.get(port), `${who} takes port ${port}`).toBeUndefined();
        owner.set(port, who);
        expect(port).toBeGreaterThan(0);
        expect(port).toBeLessThan(65536);
      }
    }
    expect(owner.size).toBe(65 * EXPORT_ROLES.length);
  });

  it('keeps a drain clear of the link probe ports', () => {
    const probe = [LINK_PROBE_PORTS.bulk, ...LINK_PROBE_PORTS.rtt];
    expect(probe).toEqual([NBD_PORT + 1, NBD_PORT + 2, NBD_PORT + 3]);
    for (let volume = 1; volume <= 64; volume++) {
      for (const role of EXPORT_ROLES) expect(probe).not.toContain(exportPort(role, volume));
    }
  });

  it('refuses volumes that are not drain volumes', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => exportPort('source', bad)).toThrow(RangeError);
    expect(() => exportPort('backup', 10_000)).toThrow(/below 65536/);
  });
});
