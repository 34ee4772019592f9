import { describe, expect, it } from 'vitest';
import { groupFindings } from '../../core/analysis/findings/group.js';
import type { FindingOut } from '../../core/analysis/findings/findings.js';

const f = (rule: string, id: string, severity: FindingOut['severity']): Omit<FindingOut, 'affected'> => ({
  id, rule, severity, title: `title ${id}`, detail: `detail ${id}`, evidence: [{ source: 'connections', flows: [Number(id.replace(/\D/g, '')) || 1] }], next_step: `next ${rule}`,
});

describe('findings grouped by cause', () => {
  it('one finding per rule, its subjects worst first, causes ranked by severity then breadth', () => {
    const out = groupFindings([
      f('no-connection-reuse', 'no-reuse:a', 'high'), f('snat-utilization', 'snat:1', 'high'), f('no-connection-reuse', 'no-reuse:b', 'medium'),
      f('snat-utilization', 'snat:2', 'critical'), f('snat-utilization', 'snat:3', 'high'), f('no-connection-reuse', 'no-reuse:c', 'high'),
      f('conntrack-table-full', 'conntrack-table-full', 'critical'), f('refused-port', 'refused:9', 'medium'),
    ]);
    expect(out.map((x) => [x.id, x.severity, x.affected.map((a) => a.id)])).toEqual([
      ['snat-utilization', 'critical', ['snat:2', 'snat:1', 'snat:3']],
      ['conntrack-table-full', 'critical', []],
      ['no-connection-reuse', 'high', ['no-reuse:a', 'no-reuse:c', 'no-reuse:b']],
      ['refused:9', 'medium', []],
    ]);
    expect(out[0].title).toBe('SNAT ports short for 3 destinations');
    expect(out[2].title).toBe('3 pods open a new connection per request');
    expect(out[0].next_step).toBe('next snat-utilization');
  });
});

describe('SNAT demand in words', () => {
  it('says ports needed against the allocation instead of a percentage over 100', async () => {
    const { snatDemand } = await import('../../core/analysis/findings/findings.js');
    expect(snatDemand(15.625, 1024)).toBe('needed 16,000 ports for 1,024 allocated');
    expect(snatDemand(18 / 32, 32)).toBe('held up to 18 of 32 ports');
  });
});
