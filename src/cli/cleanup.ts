import { cleanupLeftovers } from '../lab/cleanup.js';
import { stateDir } from '../lab/ledger.js';

/** `migbench cleanup`: releases what killed runs left, from their ledgers only. */
export async function cleanupCommand(): Promise<number> {
  const r = await cleanupLeftovers();
  for (const x of r.released) process.stdout.write(`released ${x}\n`);
  for (const x of r.skippedLive) process.stdout.write(`left alone (run still alive): ${x}\n`);
  for (const x of r.failed) process.stdout.write(`FAILED ${x}\n`);
  if (!r.released.length && !r.failed.length) process.stdout.write(`nothing to clean up (ledgers in ${stateDir()})\n`);
  return r.failed.length ? 1 : 0;
}
