import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/report/csv.js';

describe('toCsv', () => {
  const columns = ['run_id', 'strategy', 'value', 'error', 'flag'] as const;
  const rows = [
    { run_id: 'r1', strategy: 'kill-copy-boot', value: 860.123, error: '', flag: true },
    { run_id: 'r1', strategy: 'async-clone', value: 0, error: 'copy: nbdcopy failed, "exit 1"\nsecond line', flag: false },
    { run_id: 'r1', strategy: 'x', value: -1e-7, error: 'tab\there; semi;colon \r cr', flag: undefined },
    { run_id: 'r1', strategy: 'y', value: 1e21, error: ' leading and trailing ' },
  ];

  it('writes exactly what csv-stringify writes', () => {
    expect(toCsv(rows, columns)).toBe(stringify(rows, { header: true, columns: [...columns] }));
  });

  it('round-trips through csv-parse', () => {
    const back = parse(toCsv(rows, columns), { columns: true }) as Record<string, string>[];
    expect(back.map((r) => r.error)).toEqual(rows.map((r) => r.error));
    expect(back[0]!.value).toBe('860.123');
  });

  it('no rows: the header alone', () => {
    expect(toCsv([], columns)).toBe('run_id,strategy,value,error,flag\n');
    expect(toCsv([], columns)).toBe(stringify([], { header: true, columns: [...columns] }));
  });
});
