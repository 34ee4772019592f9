import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ufwFormat } from '../../core/formats/ufw/index.js';
import type { UfwRule } from '../../core/formats/ufw/index.js';
import { LAB, codes, cutEnd, parseFile, read } from './node-tools-fixtures.js';

const parse = (text: string) => ufwFormat.parse(text, { source: 't' });
const rulesOf = (path: string) => parseFile(ufwFormat, path).records.filter((r): r is UfwRule => r.type === 'rule');

describe('ufw status', () => {
  it('reads an inactive firewall', () => {
    const r = parseFile(ufwFormat, join(LAB, 'ufw_status_inactive.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toEqual([{ type: 'status', active: false, line: 1 }]);
  });

  it('reads `ufw status`: ports, comments, interfaces, v6 copies, outgoing rules', () => {
    const r = parseFile(ufwFormat, join(LAB, 'ufw_status.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records[0]).toEqual({ type: 'status', active: true, line: 1 });
    const rules = r.records.slice(1) as UfwRule[];
    expect(rules).toHaveLength(12);
    expect(rules[1]).toEqual({
      type: 'rule', to: '10250/tcp', from: 'Anywhere', action: 'DENY', v6: false, ports: ['10250'], protocol: 'tcp',
      comment: 'kubelet closed by hardening script', line: 6,
    });
    expect(rules[2]).toMatchObject({ ports: ['443'], fromAddress: '10.240.0.0/16', comment: 'api from vnet' });
    expect(rules[3]).toMatchObject({ to: 'Anywhere on eth0', interface: 'eth0', fromAddress: '203.0.113.7', action: 'DENY' });
    expect(rules[3]!.ports).toBeUndefined();
    expect(rules[7]).toMatchObject({ to: '10250/tcp (v6)', v6: true, comment: 'kubelet closed by hardening script' });
    expect(rules[10]).toMatchObject({ to: '9000/tcp', action: 'REJECT', direction: 'OUT', line: 16 });
    expect(rules[0]!.direction).toBeUndefined();
  });

  it('reads `ufw status verbose` defaults and directions', () => {
    const r = parseFile(ufwFormat, join(LAB, 'ufw_status_verbose.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records[0]).toEqual({ type: 'status', active: true, logging: 'on (low)', defaultIncoming: 'deny', defaultOutgoing: 'allow', defaultRouted: 'disabled', line: 1 });
    expect(r.records[1]).toMatchObject({ to: '22/tcp', action: 'ALLOW', direction: 'IN', line: 8 });
  });

  it('reads `ufw status numbered` with rule numbers and (out) markers', () => {
    const rules = rulesOf(join(LAB, 'ufw_status_numbered.txt'));
    expect(rules.map((x) => x.num)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(rules[3]).toEqual({ type: 'rule', num: 4, to: '9000/tcp', from: 'Anywhere', action: 'REJECT', direction: 'OUT', v6: false, ports: ['9000'], protocol: 'tcp', line: 8 });
    expect(rules[5]).toMatchObject({ num: 6, action: 'LIMIT', ports: ['2222'] });
  });

  it('finds the rule that closes the kubelet port in every form', () => {
    for (const f of ['ufw_status.txt', 'ufw_status_verbose.txt', 'ufw_status_numbered.txt']) {
      const hit = rulesOf(join(LAB, f)).filter((x) => x.ports?.includes('10250') && x.action !== 'ALLOW' && !x.v6);
      expect(hit).toHaveLength(1);
    }
  });

  it('reads ranges, lists, apps and long To cells that push the columns', () => {
    const r = parse(
      'Status: active\n\nTo                         Action      From\n--                         ------      ----\n8000:8100/tcp              ALLOW       Anywhere\n80,443/tcp                 ALLOW       10.0.0.0/8\nOpenSSH                    ALLOW       Anywhere\n2001:db8:1234:5678::1 443/tcp on eth1 DENY IN Anywhere # <script>x</script>\n',
    );
    expect(r.diagnostics).toEqual([]);
    const rules = r.records.slice(1) as UfwRule[];
    expect(rules[0]).toMatchObject({ ports: ['8000:8100'], protocol: 'tcp' });
    expect(rules[1]).toMatchObject({ ports: ['80', '443'], fromAddress: '10.0.0.0/8' });
    expect(rules[2]).toMatchObject({ app: 'OpenSSH' });
    expect(rules[3]).toMatchObject({ toAddress: '2001:db8:1234:5678::1', ports: ['443'], interface: 'eth1', action: 'DENY', direction: 'IN', comment: '<script>x</script>' });
  });

  it('reports garbage and a cut last line', () => {
    const lines = read(join(LAB, 'ufw_status.txt')).split('\n');
    lines.splice(5, 0, 'not a rule');
    const r = parse(lines.join('\n'));
    expect(codes(r.diagnostics)).toEqual(['TEXT_MALFORMED_LINE@6']);
    expect(codes(parse('To Action\nStatus: active\n').diagnostics)).toEqual(['TEXT_MALFORMED_LINE@1']);
    const cut = parse(cutEnd(read(join(LAB, 'ufw_status_numbered.txt')), 60));
    expect(cut.diagnostics.map((d) => [d.code, d.line])).toEqual([['TEXT_TRUNCATED', 16]]);
  });
});
