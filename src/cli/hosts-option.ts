import { readFileSync } from 'node:fs';
import { InventoryError, inventoryFromUrls, parseInventory, type Inventory } from '../remote/inventory.js';
import { usageError } from './errors.js';

/** The host options a command takes (`--hosts FILE`, or `--host-a URL --host-b URL`). */
export interface HostsOptions {
  hosts?: string;
  hostA?: string;
  hostB?: string;
}

/**
 * The inventory the options name, or undefined for the embedded lab. Bad input (a missing
 * or malformed file, one of --host-a/--host-b alone, both forms at once) is exit 2.
 */
export function inventoryOf(o: HostsOptions): Inventory | undefined {
  if (o.hosts === undefined && o.hostA === undefined && o.hostB === undefined) return undefined;
  if (o.hosts !== undefined && (o.hostA !== undefined || o.hostB !== undefined)) throw usageError('give either --hosts FILE or --host-a/--host-b, not both');
  try {
    if (o.hosts === undefined) {
      if (o.hostA === undefined || o.hostB === undefined) throw usageError('--host-a and --host-b go together');
      return inventoryFromUrls(o.hostA, o.hostB);
    }
    let text: string;
    try {
      text = readFileSync(o.hosts, 'utf8');
    } catch (err) {
      throw usageError(`--hosts ${o.hosts}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, err);
    }
    return parseInventory(text, o.hosts);
  } catch (err) {
    if (err instanceof InventoryError) throw usageError(`${o.hosts === undefined ? '--host-a/--host-b: ' : '--hosts '}${err.message}`, err);
    throw err;
  }
}
