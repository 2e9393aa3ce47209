import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { range } from '../../src/analysis/plan-text.js';
import { planCommand, type PlanJson, type PlanOptions } from '../../src/cli/plan.js';
import { CLIError } from '../../src/cli/errors.js';

/** The default run (10 strategies, 256 MiB, 1 Gbit/s, 3 reps, one precopy rep failed); timeline trimmed. */
const DIR = join(import.meta.dirname, '..', 'support', 'default-run');
const FLEET: PlanOptions = { size: '100GiB', link: '10Gbit/s', volumes: '40', concurrency: '1' };

async function run(opts: PlanOptions): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    out += String(chunk);
    const done = rest.at(-1);
    if (typeof done === 'function') (done as () => void)();
    return true;
  });
  try {
    return { code: await planCommand(DIR, opts), out };
  } finally {
    spy.mockRestore();
  }
}

describe('migbench plan on the default run', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'plan-cli-'));
  afterEach(() => vi.restoreAllMocks());

  for (const concurrency of ['1', '4']) {
    it(`40 × 100 GiB at 10 Gbit/s, concurrency ${concurrency}: text and --json agree, and respect the link`, async () => {
      const file = join(tmp, `plan-${concurrency}.json`);
      const text = await run({ ...FLEET, concurrency, json: file });
      const stdoutJson = await run({ ...FLEET, concurrency, json: true });
      expect([text.code, stdoutJson.code]).toEqual([0, 0]);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as PlanJson;
      expect(JSON.parse(stdoutJson.out)).toEqual(doc);
      expect(doc).toMatchObject({ kind: 'migbench-plan', version: 1, source: { runId: '20261130-130004-ab474d' }, target: { volumes: 40, concurrency: Number(concurrency) } });

      // Physics: 40 × 100 GiB × 8 / 10 Gbit/s = 3436 s, and the run's link delivered 93.4 % of its rate.
      expect(doc.linkFloorMs).toBeGreaterThan(3436_000);
      const kcb = doc.strategies.find((s) => s.strategy === 'kill-copy-boot')!;
      expect(kcb.drainMs.median).toBeGreaterThanOrEqual(doc.linkFloorMs);
      for (const s of doc.strategies) expect(s.drainMs.min).toBeGreaterThanOrEqual(doc.linkFloorMs);
      expect(text.out).toContain(`= ${Math.round(doc.linkFloorMs / 1000)} s: no drain over this link is faster`);

      // Every strategy's row carries the JSON's figures, and its basis says what was extrapolated.
      expect(doc.strategies).toHaveLength(10);
      for (const s of doc.strategies) {
        const line = text.out.split('\n').find((l) => l.startsWith(`${s.strategy} `))!;
        expect(line, s.strategy).toBeDefined();
        for (const r of [s.interruptionMs, s.exposureMs, s.splitBrainMs, s.drainMs]) expect(line).toContain(range(r));
        expect(line).toContain(`${s.failed.failed}/${s.failed.total}`);
        expect(line).toContain(s.safety.label);
        expect(line).toMatch(/extrapolated: size 400×, link 10×/);
        expect(s.basis.extrapolated.find((e) => e.quantity === 'size')!.factor).toBe(400);
      }
      expect(text.out.match(/^caveat: extrapolated: size 400× the largest measured \(256 MiB\), link 10× the fastest measured \(1 Gbit\/s\)/gm)).toHaveLength(1);
      expect(doc.strategies.find((s) => s.strategy === 'precopy')!.failed).toMatchObject({ failed: 1, total: 3 });
      expect(doc.strategies.filter((s) => s.safety.losesData).map((s) => s.strategy)).toEqual(['kill-boot-copy', 'copy-kill-boot', 'copy-boot-kill', 'boot-kill-copy', 'boot-copy-kill', 'backup-restore']);
      expect(doc.strategies.find((s) => s.strategy === 'kill-copy-boot')!.schedule.waves).toHaveLength(40 / Number(concurrency));
    });
  }

  it('exit 2 with the reason when the data cannot answer (precopy far beyond its measured write rate)', async () => {
    const err = await run({ ...FLEET, writeRate: '100MB/s' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CLIError);
    expect((err as CLIError).exitCode).toBe(2);
    expect((err as CLIError).message).toMatch(/cannot answer this: precopy: write rate 800 Mbit\/s is above the highest measured \(64 Mbit\/s\)/);
    const without = await run({ ...FLEET, writeRate: '100MB/s', strategy: 'kill-copy-boot,async-clone', json: true });
    expect(without.code).toBe(0);
    rmSync(tmp, { recursive: true, force: true });
  });
});
