import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUN_OPTIONS } from '../../src/scenario/options.js';
import { renderOptionsTable, spliceOptionsTable, TABLE_BEGIN, TABLE_END } from '../../src/scenario/options-table.js';

const DOC = new URL('../../docs/options.md', import.meta.url);

describe('the option table', () => {
  it('has one row per option, in declaration order, with its default and sweepability', () => {
    const rows = renderOptionsTable().split('\n').slice(2);
    expect(rows).toHaveLength(RUN_OPTIONS.length);
    RUN_OPTIONS.forEach((o, i) => {
      expect(rows[i]).toContain(`\`--${o.flag}`);
      expect(rows[i]).toContain(o.group);
      if ('default' in o) expect(rows[i]).toContain(`\`${o.default}\``);
      expect(rows[i]!.split(' | ')[2] === 'yes').toBe('sweepable' in o && o.sweepable);
    });
  });

  it('docs/options.md holds the current table (run `npm run docs` after changing src/scenario/options.ts)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const inDoc = doc.slice(doc.indexOf(TABLE_BEGIN) + TABLE_BEGIN.length, doc.indexOf(TABLE_END)).trim();
    expect(inDoc).toBe(renderOptionsTable());
    expect(spliceOptionsTable(doc)).toBe(doc);
  });

  it('the splice replaces only what is between the markers', () => {
    const doc = `intro\n${TABLE_BEGIN}\nstale | table\n${TABLE_END}\noutro\n`;
    expect(spliceOptionsTable(doc)).toBe(`intro\n${TABLE_BEGIN}\n${renderOptionsTable()}\n${TABLE_END}\noutro\n`);
    expect(() => spliceOptionsTable('no markers')).toThrow(/markers/);
  });
});
