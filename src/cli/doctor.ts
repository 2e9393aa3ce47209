import { runChecks } from '../lab/doctor.js';

/** `migbench doctor`: prints each check; exit 1 if a required one fails. */
export async function doctorCommand(): Promise<number> {
  const checks = await runChecks(`mgbdoctor${process.pid}`);
  for (const c of checks) {
    const mark = c.ok ? 'ok  ' : c.optional ? 'skip' : 'FAIL';
    process.stdout.write(`${mark}  ${c.name.padEnd(34)} ${c.detail}\n`);
  }
  return checks.some((c) => !c.ok && !c.optional) ? 1 : 0;
}
