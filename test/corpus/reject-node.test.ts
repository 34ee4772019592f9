import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listFindings } from '../../core/analysis/findings/findings.js';
import { listPorts } from '../../core/analysis/snat/ports.js';
import { iterateRst } from '../../core/api/queries/rst.js';
import { rstSummary } from '../../core/analysis/rst/summary.js';
import { openCase, type CaseDb } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { extractTarGz } from './tar-extract.js';

/**
 * A bundle podcap did not make (fixtures/corpus/reject, its own generator): the node's FORWARD
 * REJECT forges RSTs in 203.0.113.10:25's name. The truth file says where each RST really came
 * from, measured on the servers' own interface, which the bundle does not contain.
 */
interface TruthRst { sender_ip: string; sender_port: number; receiver_ip: string; receiver_port: number; origin: 'endpoint' | 'node'; rule: string | null }
const truth = JSON.parse(readFileSync('fixtures/corpus/reject/reject-node.truth.json', 'utf8')) as { rsts: TruthRst[]; reject_rule: string; syns_to_25_seen_by_server: number };

describe('REJECT-node bundle (fixtures/corpus/reject)', () => {
  let db: CaseDb;
  beforeAll(async () => {
    db = openCase(join(mkdtempSync(join(tmpdir(), 'podcap-reject-')), 'c.db'));
    const res = await ingestPaths(db, ['fixtures/corpus/reject/reject-node.tar.gz']);
    expect(res.filter((r) => r.status === 'failed')).toEqual([]);
  });

  it('gives every RST its true origin: the node (naming its rule) or the endpoint', () => {
    expect(truth.syns_to_25_seen_by_server).toBe(0);
    const ours = [...iterateRst(db)];
    expect(ours.length).toBe(truth.rsts.length); // one event per RST, however many capture points saw it
    for (const t of truth.rsts) {
      const r = ours.find((o) => o.sender_ip === t.sender_ip && o.sender_port === t.sender_port && o.receiver_ip === t.receiver_ip && o.receiver_port === t.receiver_port);
      expect(r, `${t.sender_ip}:${t.sender_port} → ${t.receiver_ip}:${t.receiver_port}`).toBeDefined();
      expect({ verdict: r!.verdict, rule: r!.rule }).toEqual({ verdict: t.origin, rule: t.rule });
    }
  });

  it('says why a forged RST is the node\'s: not on the uplink, a hop short of the server\'s TTL', () => {
    const forged = [...iterateRst(db)].find((r) => r.verdict === 'node')!;
    expect(forged.receiver_pod).toBe('mail/relay-6d5f8b7c9-x2k4p');
    expect(forged.ttl_baseline).toBe(63);
    expect(forged.evidence.some((e) => e.includes('not on eth0'))).toBe(true);
    expect(forged.evidence.some((e) => e.includes('TTL 64 differs'))).toBe(true);
    expect(forged.reason).toBe(forged.evidence.join('; '));
  });

  it('counts node-made RSTs apart in the summary', () => {
    const s = rstSummary(db);
    expect(s.bySender.find((c) => c.key === '203.0.113.10')).toMatchObject({ count: 8, node: 8, endpoint: 0 });
    expect(s.bySender.find((c) => c.key === '203.0.113.11')).toMatchObject({ count: 50, node: 0, endpoint: 50 });
  });

  it('blames the node\'s rule, not 203.0.113.10, and raises no SNAT finding for 120 connections without port pressure', () => {
    const f = listFindings(db);
    expect(f.map((x) => x.id).sort()).toEqual([
      'no-reuse:batch/crawler-7f8c6d5b4-m9n2v', // 120 single-request connections: true, and its own finding
      'node-reset:203.0.113.10:25',
      'peer-abort:203.0.113.11:8443', // 45 SO_LINGER-0 aborts by the server
      'refused:203.0.113.11:9', // closed port, the server's own RSTs
    ].sort());
    const node = f.find((x) => x.rule === 'node-reject-reset')!;
    expect(node.detail).toContain(truth.reject_rule);
    expect(node.evidence.find((e) => e.lines)?.source).toMatch(/iptables-save\.txt$/);
    // the measured pressure behind "no SNAT finding": 45 ports at most for one destination (web/api's 45 to :8443) of 1,024
    const ports = listPorts(db);
    expect(Math.max(...ports.map((p) => p.distinct_src_ports))).toBe(45);
    expect(Math.max(...ports.map((p) => p.utilization))).toBeLessThan(0.1);
  });
});

/**
 * The same bundle with files left out: each route to "node" on its own, and no claim beyond the
 * evidence (one capture point and no rules cannot tell the node from a middlebox).
 */
describe('REJECT-node bundle with files left out', () => {
  const part = async (keep: RegExp) => {
    const dir = mkdtempSync(join(tmpdir(), 'podcap-reject-part-'));
    const files = extractTarGz('fixtures/corpus/reject/reject-node.tar.gz', dir, (n) => keep.test(n) || /kubectl-get-pods/.test(n));
    const db = openCase(join(dir, 'c.db'));
    await ingestPaths(db, files);
    return { db, forged: [...iterateRst(db)].filter((r) => r.sender_ip === '203.0.113.10' && r.sender_port === 25) };
  };

  it('the relay pod\'s veth capture and iptables-save: the TTL a hop short and the matching rule', async () => {
    const { db, forged } = await part(/veth-relay-[^/]*\.pcap$|iptables-save\.txt$/);
    expect(forged.length).toBe(8);
    for (const r of forged) expect({ verdict: r.verdict, rule: r.rule, baseline: r.ttl_baseline }).toEqual({ verdict: 'node', rule: truth.reject_rule, baseline: 63 });
    expect(listFindings(db).map((f) => f.id)).toContain('node-reset:203.0.113.10:25');
  });

  it('the -i any capture alone: not on the uplink, so made by the node; no rule to name', async () => {
    const { db, forged } = await part(/tcpdump-any\.pcap$/);
    expect(forged.length).toBe(8);
    for (const r of forged) expect({ verdict: r.verdict, rule: r.rule }).toEqual({ verdict: 'node', rule: null });
    const f = listFindings(db).find((x) => x.rule === 'node-reject-reset')!;
    expect(f.next_step).toContain('iptables-save');
    expect(listFindings(db).map((x) => x.id)).not.toContain('refused:203.0.113.10:25');
  });

  it('the veth capture alone: a TTL out of line says "not the endpoint", nothing says who', async () => {
    const { forged } = await part(/veth-relay-[^/]*\.pcap$/);
    expect(forged.map((r) => r.verdict)).toEqual(Array(8).fill('middlebox-suspect'));
  });
});

describe('REJECT-node bundle with nft rules instead of iptables-save', () => {
  it('names the nft rule that answers the SYN (a real `nft list ruleset` holding a rule for 203.0.113.10:25)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podcap-reject-nft-'));
    const files = extractTarGz('fixtures/corpus/reject/reject-node.tar.gz', dir, (n) => /veth-relay-[^/]*\.pcap$|kubectl-get-pods/.test(n));
    const nodeDir = dirname(files.find((f) => f.endsWith('.pcap'))!);
    const nft = join(nodeDir, 'nft-list-ruleset.txt');
    copyFileSync('fixtures/node-tools/lab/netns-tools/nft_list_ruleset.txt', nft);
    const db = openCase(join(dir, 'c.db'));
    await ingestPaths(db, [...files, nft]);
    const forged = [...iterateRst(db)].filter((r) => r.sender_port === 25);
    expect(forged.map((r) => [r.verdict, r.rule])).toEqual(Array(8).fill(['node', 'nft table inet filter chain forward: ip daddr 203.0.113.10 tcp dport 25 reject with tcp reset']));
    const f = listFindings(db).find((x) => x.rule === 'node-reject-reset')!;
    expect(f.evidence.find((e) => e.lines)).toEqual({ source: nft, lines: [16] });
    expect(f.next_step).toContain('nft -a list chain inet filter forward');
  });
});

describe('REJECT-node bundle with iptables-save outside the node folder', () => {
  it('rules of no known node stand for the one node the case has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podcap-reject-root-'));
    const files = extractTarGz('fixtures/corpus/reject/reject-node.tar.gz', dir, (n) => /veth-relay-[^/]*\.pcap$|kubectl-get-pods|iptables-save\.txt$/.test(n));
    // the bundle folder with iptables-save at its top, beside kubectl's files, outside the node's folder
    const save = files.find((f) => f.endsWith('iptables-save.txt'))!;
    const loose = join(dir, 'reject-node', 'iptables-save.txt');
    renameSync(save, loose);
    const db = openCase(join(dir, 'c.db'));
    await ingestPaths(db, [join(dir, 'reject-node')]);
    const nodes = db.prepare('SELECT kind, node FROM sources WHERE kind IN (?, ?) ORDER BY kind').all('iptables', 'pcap');
    expect(nodes).toEqual([{ kind: 'iptables', node: null }, { kind: 'pcap', node: 'gke-prod-pool-a-3f9c2d1e-k7wq' }]);
    const forged = [...iterateRst(db)].filter((r) => r.sender_port === 25);
    expect(forged.map((r) => r.rule)).toEqual(Array(8).fill(truth.reject_rule));
  });
});

describe('REJECT-node bundle beside a node whose iptables-save is byte for byte the same', () => {
  it('keeps each node\'s copy: the rule still names the node that forged the RSTs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podcap-reject-twin-'));
    const files = extractTarGz('fixtures/corpus/reject/reject-node.tar.gz', dir, (n) => /veth-relay-[^/]*\.pcap$|kubectl-get-pods|iptables-save\.txt$/.test(n));
    const save = files.find((f) => f.endsWith('iptables-save.txt'))!;
    // kube-proxy writes the same rules on every node; this one sorts (and so is read) first
    const twin = join(dir, 'reject-node', 'gke-prod-pool-a-3f9c2d1e-aaaa');
    mkdirSync(twin);
    copyFileSync(save, join(twin, 'iptables-save.txt'));
    writeFileSync(join(twin, 'hostname'), 'gke-prod-pool-a-3f9c2d1e-aaaa\n');
    const db = openCase(join(dir, 'c.db'));
    const res = await ingestPaths(db, [join(dir, 'reject-node')]);
    expect(res.filter((r) => r.path.endsWith('iptables-save.txt')).map((r) => r.status)).toEqual(['ingested', 'ingested']);
    const forged = [...iterateRst(db)].filter((r) => r.sender_port === 25);
    expect(forged.map((r) => [r.verdict, r.rule])).toEqual(Array(8).fill(['node', truth.reject_rule]));
    // and reading the same folder again is still a no-op, either copy
    const again = await ingestPaths(db, [join(dir, 'reject-node')]);
    expect(again.map((r) => r.status)).toEqual(again.map(() => 'duplicate'));
  });
});
