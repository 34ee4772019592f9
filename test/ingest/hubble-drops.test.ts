import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listDrops } from '../../core/analysis/drops/drops.js';
import { listCorrelations } from '../../core/api/queries/correlate.js';
import { createQueryHandlers } from '../../core/api/handlers.js';
import { listFindings } from '../../core/analysis/findings/findings.js';
import { validateRequest } from '../../core/api/validate.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';

const H = 'fixtures/node-tools/hubble';

/** A folder of Hubble dumps (the real outputs of fixtures/node-tools/hubble) as one node's bundle. */
describe('a Hubble dump with drops', () => {
  let db: CaseDb;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'podcap-hubble-'));
    mkdirSync(join(root, 'bundle', 'kind-worker'), { recursive: true });
    for (const f of ['hubble_observe_--pod_deathstar_--verdict_DROPPED.txt', 'hubble_exporter_events.log', 'hubble_observe_-o_json_k3d_policy_denied.json']) {
      cpSync(join(H, f), join(root, 'bundle', 'kind-worker', f));
    }
    db = openCase(join(root, 'c.db'));
    const res = await ingestPaths(db, [join(root, 'bundle')]);
    expect(res.map((r) => r.kind)).toEqual(['hubble', 'hubble', 'hubble']);
  });

  it('podcap drops: who was dropped, where, why, how often, with the lines', () => {
    const d = listDrops(db);
    expect(d.map((x) => [x.count, x.src, x.dst, x.dst_port, x.reason, x.category])).toEqual([
      [6, 'default/xwing', 'default/deathstar-b4b8ccfb5-f75xw', 80, 'POLICY_DENIED', 'policy'],
      [1, 'agent-restricted/agent-probe', 'corp-prod/corp-prod-target', 8080, 'POLICY_DENIED', 'policy'],
      [1, 'default/tiefighter', 'default/deathstar-b4b8ccfb5-f75xw', 80, 'L7_POLICY_DENIED', 'policy'],
      [1, 'default/xwing', 'default/deathstar-7848d6c4d5-th9v2', 80, 'POLICY_DENIED', 'policy'],
      [1, 'fe80::64d8:8aff:fe72:fc14', 'ff02::2', null, 'INVALID_SOURCE_IP', 'invalid'],
    ]);
    expect(d[0].evidence).toEqual([{ source: expect.stringMatching(/verdict_DROPPED\.txt$/), lines: [3, 5, 7, 9, 11, 13] }]);
    // A folder alone does not name a node (main: nodes come from content); compact lines carry none.
    expect(d[0].node).toBeNull();
    expect(d[1]).toMatchObject({ direction: 'egress', node: 'k3d-agent-zone-control-agent-0', src_ip: '10.0.1.116' });
  });

  it('the same event printed by two overlapping hubble queries is one drop', async () => {
    const root = mkdtempSync(join(tmpdir(), 'podcap-hubble2-'));
    const db2 = openCase(join(root, 'c.db'));
    await ingestPaths(db2, [join(H, 'hubble_observe_--pod_deathstar_--verdict_DROPPED.txt'), join(H, 'hubble_observe_--pod_deathstar_--protocol_http.txt')]);
    const l7 = listDrops(db2).filter((d) => d.reason === 'L7_POLICY_DENIED');
    expect(l7.map((d) => [d.count, d.evidence.length])).toEqual([[1, 1]]);
  });

  it('one finding per drop reason', () => {
    const f = listFindings(db).filter((x) => x.id.startsWith('drops:'));
    expect(f.map((x) => [x.id, x.severity])).toEqual([
      ['drops:L7_POLICY_DENIED', 'medium'], ['drops:POLICY_DENIED', 'medium'], ['drops:INVALID_SOURCE_IP', 'low'],
    ]);
    expect(f.find((x) => x.id === 'drops:POLICY_DENIED')!.title).toBe('8 flows dropped by the datapath: POLICY_DENIED');
  });

  it('Hubble names pods with their addresses: they reach the identity graph', () => {
    const ids = listCorrelations(db).filter((i) => i.kind === 'pod');
    expect(ids.find((i) => i.pod === 'agent-probe')).toMatchObject({ ip: '10.0.1.116', namespace: 'agent-restricted' });
    expect(ids.find((i) => i.pod === 'xwing' && i.ip !== null)).toMatchObject({ ip: '10.244.1.60', namespace: 'default' });
  });

  it('the API channel drops.list validates its request and answers', async () => {
    expect(validateRequest('drops.list', { limit: 2 })).toEqual({ limit: 2 });
    expect(() => validateRequest('drops.list', { limit: 'x' })).toThrow();
    const res = await createQueryHandlers(db, 'c.db')['drops.list']({ limit: 2 });
    expect(res.map((r) => r.count)).toEqual([6, 1]);
  });
});
