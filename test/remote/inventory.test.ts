import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR, InventoryError, inventoryFromUrls, parseInventory, parseTarget } from '../../src/remote/inventory.js';

const json = JSON.stringify({
  knownHosts: '/tmp/kh',
  a: { ssh: 'root@10.0.0.1', port: 2222, identity: '/k/id', dataDir: '/srv/a', dataAddress: '192.168.1.1', shapeInterface: 'eth1' },
  b: { ssh: 'ops@b.example', dataDir: '/srv/b', sshOptions: ['SetEnv=SHLVL=1'] },
});

describe('inventory', () => {
  it('parses a JSON inventory with defaults for what a host leaves out', () => {
    const inv = parseInventory(json, 'hosts.json');
    expect(inv.knownHosts).toBe('/tmp/kh');
    expect(inv.a).toEqual({ role: 'a', target: 'root@10.0.0.1', hostname: '10.0.0.1', port: 2222, identity: '/k/id', dataDir: '/srv/a', dataAddress: '192.168.1.1', shapeInterface: 'eth1', shapeSshInterface: false, sshOptions: [] });
    // B: the data address is the SSH host, no port (ssh's own default or ~/.ssh/config), nothing shaped.
    expect(inv.b).toEqual({ role: 'b', target: 'ops@b.example', hostname: 'b.example', dataDir: '/srv/b', dataAddress: 'b.example', shapeSshInterface: false, sshOptions: ['SetEnv=SHLVL=1'] });
  });

  it('parses the same inventory as YAML', () => {
    const yaml = `a:\n  ssh: root@10.0.0.1\n  port: 2222\n  identity: /k/id\n  dataDir: /srv/a\n  dataAddress: 192.168.1.1\n  shapeInterface: eth1\nb:\n  ssh: ops@b.example\n  dataDir: /srv/b\n  sshOptions: [SetEnv=SHLVL=1]\nknownHosts: /tmp/kh\n`;
    expect(parseInventory(yaml, 'hosts.yaml')).toEqual(parseInventory(json, 'hosts.json'));
  });

  it('takes ssh:// URLs for the simple case', () => {
    const inv = inventoryFromUrls('ssh://root@a.example:2200', 'ssh://b.example');
    expect(inv.a).toMatchObject({ target: 'root@a.example', hostname: 'a.example', port: 2200, dataDir: DEFAULT_DATA_DIR, dataAddress: 'a.example' });
    expect(inv.b).toMatchObject({ target: 'b.example', hostname: 'b.example', dataDir: DEFAULT_DATA_DIR });
    expect(inv.b.port).toBeUndefined();
  });

  it.each([
    ['not an object', '[]', /must be an object/],
    ['a missing host', JSON.stringify({ a: { ssh: 'x' } }), /host "b" is missing/],
    ['an unknown key', JSON.stringify({ a: { ssh: 'x', dataDirr: '/x' }, b: { ssh: 'y' } }), /unknown key\(s\) dataDirr/],
    ['a relative data dir', JSON.stringify({ a: { ssh: 'x', dataDir: 'data' }, b: { ssh: 'y' } }), /absolute path/],
    ['a bad port', JSON.stringify({ a: { ssh: 'x', port: 70000 }, b: { ssh: 'y' } }), /1–65535/],
    ['a port given twice', JSON.stringify({ a: { ssh: 'ssh://x:22', port: 22 }, b: { ssh: 'y' } }), /given twice/],
    ['a bad target', JSON.stringify({ a: { ssh: 'root@@x' }, b: { ssh: 'y' } }), /not user@host/],
    ['one machine twice with one data dir', JSON.stringify({ a: { ssh: 'x' }, b: { ssh: 'x' } }), /same machine/],
    ['ssh options not Key=Value', JSON.stringify({ a: { ssh: 'x', sshOptions: ['-v'] }, b: { ssh: 'y' } }), /Key=Value/],
    ['malformed JSON', '{', /not valid JSON/],
  ])('refuses %s', (_what, text, message) => {
    expect(() => parseInventory(text, 'h.json')).toThrow(InventoryError);
    expect(() => parseInventory(text, 'h.json')).toThrow(message);
  });

  it('refuses a URL with a path', () => {
    expect(() => parseTarget('ssh://root@x/var', '--host-a')).toThrow(/no path/);
  });
});
