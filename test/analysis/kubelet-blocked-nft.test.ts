import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFindings } from '../../core/analysis/findings/findings.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';

/** Real `nft list ruleset` outputs of rulesets loaded with nft in a namespace (fixtures/node-tools/nft-kubelet/README.md). */
const DIR = 'fixtures/node-tools/nft-kubelet';

async function kubelet(file: string): Promise<ReturnType<typeof listFindings>> {
  const db: CaseDb = openCase(join(mkdtempSync(join(tmpdir(), 'podcap-nftkubelet-')), 'c.db'));
  const [res] = await ingestPaths(db, [join(DIR, file)]);
  expect(res.kind).toBe('nft');
  return listFindings(db).filter((f) => f.rule === 'kubelet-port-blocked');
}

describe('kubelet port blocked by an nftables rule (the runbook finding, as for iptables)', () => {
  it('a plain inet filter drop, a reject of a port set holding a range, a named set: each is the finding, naming its rule and line', async () => {
    const drop = await kubelet('nft_list_ruleset_inet_filter_drop_10250.txt');
    expect(drop.map((f) => [f.id, f.severity, f.title])).toEqual([['kubelet-blocked', 'high', 'Kubelet port 10250 blocked']]);
    expect(drop[0].detail).toMatch(/^"nft table inet filter chain input: tcp dport 10250 drop"\. kubectl logs\/exec\/port-forward time out/);
    expect(drop[0].evidence).toEqual([{ source: expect.stringMatching(/inet_filter_drop_10250\.txt$/), lines: [6] }]);
    const set = await kubelet('nft_list_ruleset_reject_port_set.txt');
    expect(set[0].detail).toContain('chain input: tcp dport { 4194, 10248-10259 } counter packets 0 bytes 0 reject with tcp reset');
    const named = await kubelet('nft_list_ruleset_named_set.txt');
    expect(named[0].detail).toContain('nft table inet node-guard chain input: tcp dport @blocked_tcp ip saddr != 10.224.0.0/16 drop');
    expect(named[0].evidence[0].lines).toEqual([9]);
  });

  it('kube-proxy nftables tables, a drop of every port but 10250 and an accept of 10250: no finding', async () => {
    expect(await kubelet('nft_list_ruleset_quiet.txt')).toEqual([]);
  });
});
