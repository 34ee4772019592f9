import type { FindingOut } from './finding.js';
import { groupFindings } from './group.js';
import { prepared } from '../../db/statements.js';
import { staleAckResetSql } from '../stale-ack.js';
import { SNAT } from '../cells/snat.js';
import { THRESHOLDS, type Thresholds } from '../thresholds.js';
import type { CaseDb } from '../../db/open-case.js';
import { conntrackTimeline } from '../conntrack/timeline.js';
import type { FanoutOut } from '../fanout/fanout.js';
import type { TimeWindow } from '../rollups/window-plan.js';
import type { PortsOut } from '../snat/ports.js';
import { readAnswer } from '../rollups/answers.js';
import { answeredWindow, planWindow, windowSql } from '../rollups/window-plan.js';
import { listFanout } from '../fanout/fanout.js';
import { listPorts } from '../snat/ports.js';
import { dropFindings } from '../drops/drops.js';
import { nftRuleText, nftRulesBlockingPort } from '../rst/reject-rule.js';
import type { NftRule, NftSet } from '../../formats/nft/types.js';

/** `podcap findings` row. */
export type { FindingOut };

/** What a rule returns: one finding per subject; groupFindings makes one per cause. */
type RuleFinding = Omit<FindingOut, 'affected'>;

/** Analyses several rules share, computed once per listFindings call. */
interface Shared { fanout(): FanoutOut[]; ports(): PortsOut[] }
type Rule = (db: CaseDb, w: TimeWindow, t: Thresholds, shared: Shared) => RuleFinding[];

const flowIds = (db: CaseDb, sql: string, params: unknown[]) => (prepared(db, sql).all(...params) as { id: number }[]).map((r) => r.id);

/** Runbook §4: "nf_conntrack: table full, dropping packet", or entries near nf_conntrack_max. */
const conntrackFull: Rule = (db, w, t) => {
  const tl = conntrackTimeline(db, w);
  const out: RuleFinding[] = [];
  const lines = prepared(db, `SELECT s.path, k.line FROM kernel_events k JOIN sources s ON s.id = k.source_id WHERE k.event = 'conntrack_table_full' ORDER BY k.id LIMIT 50`).all() as { path: string; line: number }[];
  if (tl.tableFull.length > 0) {
    const drops = tl.tableFull.reduce((a, f) => a + f.count, 0);
    out.push({
      id: 'conntrack-table-full', rule: 'conntrack-table-full', severity: 'critical',
      title: 'Conntrack table full: the kernel dropped packets',
      detail: `${tl.tableFull.length} "nf_conntrack: table full, dropping packet" kernel messages (${drops} including suppressed repeats)${tl.max ? `; nf_conntrack_max is ${tl.max}` : ''}. New connections were dropped while the table was full.`,
      evidence: groupLines(lines),
      next_step: 'Raise net.netfilter.nf_conntrack_max (and the hash size) on the node, and find who fills the table: `podcap fanout` and the conntrack entries by source.',
    });
  }
  const peak = tl.points.reduce((m, p) => Math.max(m, p.count), 0);
  if (tl.max && peak >= tl.max * t.conntrackPressureShare) {
    out.push({
      id: 'conntrack-pressure', rule: 'conntrack-pressure', severity: 'high',
      title: 'Conntrack entries near the table maximum',
      detail: `Peak ${peak} entries against nf_conntrack_max ${tl.max} (${((peak / tl.max) * 100).toFixed(0)} %).`,
      evidence: [...new Set(tl.points.filter((p) => p.count === peak).map((p) => p.source))].map((source) => ({ source })),
      next_step: 'Raise nf_conntrack_max or shorten the conntrack timeouts; check for connection churn with `podcap fanout`.',
    });
  }
  const dropping = tl.stats.filter((s) => s.drop > 0 || s.insert_failed > 0);
  if (dropping.length > 0) {
    out.push({
      id: 'conntrack-drops', rule: 'conntrack-drops', severity: 'high',
      title: 'Conntrack counters show drops or failed inserts',
      detail: `conntrack -S: drop ${dropping.reduce((a, s) => a + s.drop, 0)}, insert_failed ${dropping.reduce((a, s) => a + s.insert_failed, 0)} across ${dropping.length} CPUs.`,
      evidence: [],
      next_step: 'insert_failed points at SNAT port races (conntrack clashes) or a full table; compare with the table-full messages and the SNAT port usage.',
    });
  }
  return out;
};

/**
 * Runbook §1: SNAT ports to one destination held (in use, or in Azure's hold after close) against
 * the allocation. Only measured port pressure: opening many connections is not exhaustion.
 */
/** `held up to 700 of 1,024 ports`, or past the allocation `needed 16,000 ports for 1,024 allocated`. */
export function snatDemand(utilization: number, allocation: number): string {
  const held = Math.round(utilization * allocation);
  const n = (x: number) => x.toLocaleString('en-US');
  return held > allocation ? `needed ${n(held)} ports for ${n(allocation)} allocated` : `held up to ${n(held)} of ${n(allocation)} ports`;
}

const snatExhaustion: Rule = (db, w, t, shared) => {
  const out: RuleFinding[] = [];
  for (const p of shared.ports().slice(0, 20)) {
    if (p.utilization < t.snatUtilizationWarn) continue;
    const head = {
      id: `snat-utilization:${p.snat_ip}:${p.dst_ip}:${p.dst_port}`, rule: 'snat-utilization', severity: p.utilization >= 1 ? 'critical' as const : 'high' as const,
      title: `SNAT ports to ${p.dst_ip}:${p.dst_port} ${p.utilization >= 1 ? 'exhausted' : 'nearly exhausted'}`,
    };
    const topPods = p.pods.slice(0, 3).map((x) => `${x.pod} (${x.ports})`).join(', ') || 'unknown';
    const next = 'Reuse connections (pooling/keep-alive) in the pods named, or add outbound IPs / allocate more SNAT ports per node';
    // Demand beyond the allocation reads as ports needed, not as a utilization over 100 %.
    out.push(p.from ? {
      ...head,
      detail: `Cilium's NAT map held ${p.distinct_src_ports.toLocaleString('en-US')} ports of ${p.snat_ip} toward this destination at once (${snatDemand(p.utilization, p.allocation)}); top pods: ${topPods}.`,
      evidence: p.from,
      next_step: `${next}; \`cilium bpf nat list\` again later shows whether the entries drain.`,
    } : {
      ...head,
      detail: `${p.snat_ip} ${snatDemand(p.utilization, p.allocation)} for this destination at once, ${p.time_wait_held} of them only because a closed connection's port stays held (${SNAT.holdAfterRstUs / 1e6} s after a RST, ${SNAT.holdAfterFinUs / 1e6} s after a FIN); peak ${p.peak_concurrent} in use; ${p.distinct_src_ports} distinct ports used; top pods: ${topPods}.`,
      evidence: [{ source: 'connections', flows: flowIds(db, `SELECT id FROM flows WHERE orig_ip = ? AND resp_ip = ? AND resp_port = ? LIMIT 20`, [p.snat_ip, p.dst_ip, p.dst_port]) }],
      next_step: `${next}.`,
    });
  }
  return out;
};

const noReuse: Rule = (db, w, t, shared) => shared.fanout().slice(0, 50)
  .filter((f) => f.connections_from === 'pcap' && f.connections >= t.noReuseMinConnections && (f.one_request_share ?? 0) >= t.noReuseShare)
  .map((f) => ({
    id: `no-reuse:${f.who}`, rule: 'no-connection-reuse', severity: f.public_destinations > 0 ? 'high' : 'medium',
    title: `${f.who} opens a new connection per request`,
    detail: `${f.connections} connections, ${((f.one_request_share ?? 0) * 100).toFixed(0)} % carried a single request; median lifetime ${f.median_lifetime_s?.toFixed(3)} s; peak ${f.peak_per_minute}/min; ${f.public_destinations} public destinations.`,
    evidence: evidenceForWho(db, f.who, f.netns, 'pcap'),
    next_step: 'Enable keep-alive / a connection pool in this workload; each new public connection costs a SNAT port held for minutes after it closes.',
  }));

const middleboxRsts: Rule = (db, w, t) => {
  const params: unknown[] = [];
  const rows = prepared(db, `SELECT r.sender_ip, count(*) AS n, group_concat(r.flow_id) AS flows, max(r.quiet_before_us) AS quiet, min(r.reason) AS reason
    FROM rst_events r WHERE r.verdict = 'middlebox-suspect'${windowSql('r.ts_us', w, params)} GROUP BY r.sender_ip ORDER BY n DESC`).all(...params) as { sender_ip: string; n: number; flows: string; quiet: number | null; reason: string }[];
  const out: RuleFinding[] = [];
  for (const r of rows) {
    const idle = (r.quiet ?? -1) >= t.idleResetMinSeconds * 1e6;
    out.push({
      id: `${idle ? 'idle-reset' : 'middlebox-rst'}:${r.sender_ip}`, rule: idle ? 'idle-timeout-reset' : 'middlebox-rst', severity: 'high',
      title: idle ? `Idle-timeout resets in the name of ${r.sender_ip}` : `RSTs in the name of ${r.sender_ip} came from a middlebox`,
      detail: idle
        ? `${r.n} RST(s) arrived after the connection sat quiet for ${((r.quiet ?? 0) / 1e6).toFixed(1)} s, with evidence that ${r.sender_ip} did not send them (${r.reason}). A load balancer or firewall on the path dropped its state (Azure LB idle timeout: ${t.rstIdleSeconds} s) and reset the next packet.`
        : `${r.n} RST(s) claim to come from ${r.sender_ip} but do not look like its own packets: ${r.reason}.`,
      evidence: [{ source: 'RST events', flows: r.flows.split(',').map(Number).slice(0, 20) }],
      next_step: idle
        ? 'Enable TCP keepalives shorter than the idle timeout (or raise the timeout); compare with the load balancer / NAT idle settings.'
        : 'Look at firewalls, kube-proxy/iptables REJECT rules and load balancers between the peers: `podcap rst --json` shows where each RST was seen.',
    });
  }
  return out;
};

/**
 * RSTs this node made in a remote peer's name (its own REJECT --reject-with tcp-reset): the
 * connection never reached the peer, so the node's rule is to blame, not the peer.
 */
const nodeResets: Rule = (db, w) => {
  const params: unknown[] = [];
  const rows = prepared(db, `SELECT r.sender_ip, r.sender_port, r.rule, count(*) AS n, group_concat(DISTINCT r.receiver_who) AS victims, group_concat(r.flow_id) AS flows,
      min(r.reason) AS reason, (SELECT group_concat(DISTINCT s.node) FROM rst_sightings rs JOIN sources s ON s.id = rs.source_id WHERE rs.rst_id = min(r.id)) AS nodes
    FROM rst_events r WHERE r.verdict = 'node'${windowSql('r.ts_us', w, params)} GROUP BY r.sender_ip, r.sender_port, r.rule ORDER BY n DESC`).all(...params) as
    { sender_ip: string; sender_port: number; rule: string | null; n: number; victims: string; flows: string; reason: string; nodes: string | null }[];
  // The rule's line in iptables-save or `nft list ruleset`, by the text the RST verdict stored (core/analysis/rst/classify.ts).
  const rules = prepared(db, `SELECT s.path, r.line FROM records r JOIN sources s ON s.id = r.source_id
    WHERE (r.kind = 'iptables' AND json_extract(r.data, '$.type') = 'rule' AND json_extract(r.data, '$.target') = 'REJECT'
        AND ('-A ' || json_extract(r.data, '$.chain') || ' ' || json_extract(r.data, '$.text')) = ?)
      OR (r.kind = 'nft' AND json_extract(r.data, '$.verdict') = 'reject'
        AND ('nft table ' || json_extract(r.data, '$.family') || ' ' || json_extract(r.data, '$.table') || ' chain ' || json_extract(r.data, '$.chain') || ': ' || json_extract(r.data, '$.text')) = ?)`);
  return rows.map((r) => {
    const node = r.nodes ? `node ${r.nodes}` : 'this node';
    return {
      id: `node-reset:${r.sender_ip}:${r.sender_port}`, rule: 'node-reject-reset', severity: 'high' as const,
      title: r.rule ? `${node[0].toUpperCase()}${node.slice(1)} rejected connections to ${r.sender_ip}:${r.sender_port} with its own rule` : `${node[0].toUpperCase()}${node.slice(1)} reset connections to ${r.sender_ip}:${r.sender_port}`,
      detail: `${r.n} RST(s) in the name of ${r.sender_ip}:${r.sender_port} were made by ${node}, not by ${r.sender_ip}${r.rule ? `: iptables "${r.rule}"` : ''}. Clients: ${r.victims}. Evidence: ${r.reason}.`,
      evidence: [...(r.rule ? groupLines(rules.all(r.rule, r.rule) as { path: string; line: number }[]) : []), { source: 'RST events', flows: r.flows.split(',').map(Number).slice(0, 20) }],
      next_step: r.rule
        ? `The remote service never saw these connections. Find who installed the rule on the node (network policy agent, kube-proxy, a DaemonSet, a hand edit) and remove or narrow it: ${nftChain(r.rule) ?? `\`iptables -S ${r.rule.split(' ')[1] ?? 'FORWARD'}\``}.`
        : 'No collected REJECT rule matches: collect `iptables-save` and `nft list ruleset` from the node (kube-proxy, network policy and CNI chains) to find the rule.',
    };
  });
};

/** `nft -a list chain …` for a rule named as nft prints it (nftRuleText), else null. */
function nftChain(rule: string): string | null {
  const m = /^nft table (\S+) (\S+) chain (\S+):/.exec(rule);
  return m ? `\`nft -a list chain ${m[1]} ${m[2]} ${m[3]}\`` : null;
}

/** The responder itself aborted established connections (endpoint RSTs after the handshake). */
const peerAborts: Rule = (db, w, t) => {
  const params: unknown[] = [];
  const rows = prepared(db, `SELECT r.sender_ip, r.sender_port, coalesce(min(r.sender_who), r.sender_ip) AS who, count(*) AS n, group_concat(DISTINCT r.receiver_who) AS clients, group_concat(r.flow_id) AS flows
    FROM rst_events r WHERE r.verdict = 'endpoint' AND r.sender_role = 'resp' AND r.answers_syn = 0${windowSql('r.ts_us', w, params)}
    GROUP BY r.sender_ip, r.sender_port HAVING n >= ? ORDER BY n DESC`).all(...params, t.peerAbortMin) as { sender_ip: string; sender_port: number; who: string; n: number; clients: string; flows: string }[];
  return rows.map((r) => ({
    id: `peer-abort:${r.sender_ip}:${r.sender_port}`, rule: 'server-aborts', severity: 'medium' as const,
    title: `${r.who === r.sender_ip ? r.sender_ip : r.who}:${r.sender_port} aborted established connections`,
    detail: `${r.n} connection(s) from ${r.clients} were reset by the server ${r.sender_ip}:${r.sender_port} itself after the handshake (its TTL matches its other packets): the application closed them abortively (SO_LINGER 0, a crash, a proxy's limit) or dropped their state.`,
    evidence: [{ source: 'RST events', flows: r.flows.split(',').map(Number).slice(0, 20) }],
    next_step: `Look at the server's logs and limits at those times (podcap rst --json for the times); the clients see "connection reset by peer".`,
  }));
};

const refusedStorm: Rule = (db, w, t) => {
  const params: unknown[] = [];
  const rows = prepared(db, `SELECT f.resp_ip, f.resp_port, count(*) AS n, count(DISTINCT f.orig_ip) AS clients, group_concat(f.id) AS ids
    FROM flows f INDEXED BY flows_refused WHERE f.state = 'REJ' AND (f.nat_side IS NULL OR f.nat_side = 'pre')${windowSql('f.start_us', w, params)}
      AND NOT EXISTS (SELECT 1 FROM rst_events r WHERE r.flow_id = f.id AND r.verdict IN ('node', 'middlebox-suspect'))
    GROUP BY f.resp_ip, f.resp_port HAVING n >= ? ORDER BY n DESC`).all(...params, t.refusedStormMin) as { resp_ip: string; resp_port: number; n: number; clients: number; ids: string }[];
  return rows.map((r) => ({
    id: `refused:${r.resp_ip}:${r.resp_port}`, rule: 'refused-port', severity: r.n >= t.refusedStormMin * 10 ? 'high' : 'medium',
    title: `Connections refused by ${r.resp_ip}:${r.resp_port}`,
    detail: `${r.n} connection attempts from ${r.clients} client(s) were answered with a RST (Zeek REJ) that ${r.resp_ip} sent itself: nothing listened on the port, or a firewall on that host rejected them. Resets made by this node or a middlebox are reported apart.`,
    evidence: [{ source: 'connections', flows: r.ids.split(',').map(Number).slice(0, 20) }],
    next_step: 'Check the service is listening (endpoints, readiness) and any REJECT rules; see the RST verdicts with `podcap rst`.',
  }));
};

/**
 * Runbook §1: a reused port whose old connection the peer (or a NAT on the way) still held —
 * SYN, a stale ACK, a RST. Each connection counted once: the pre-NAT half only when its
 * post-NAT half does not show the signature too.
 */
const staleAckReuse: Rule = (db, w) => {
  const params: unknown[] = [];
  // Charged to the pod (or the pod-side address) behind the SNAT port when the pre-NAT half is known.
  const rows = prepared(db, `SELECT coalesce(f.orig_pod, p.orig_pod, CASE WHEN f.nat_side = 'post' THEN p.orig_ip END, f.orig_ip) AS who, f.orig_ip, f.resp_ip, f.resp_port,
      count(*) AS n, group_concat(f.id) AS ids, group_concat(DISTINCT f.orig_port) AS ports
    FROM flows f LEFT JOIN flows p ON p.id = f.nat_peer WHERE ${staleAckResetSql('f')}${windowSql('f.start_us', w, params)}
      AND NOT (f.nat_side = 'pre' AND p.id IS NOT NULL AND ${staleAckResetSql('p')})
    GROUP BY f.orig_ip, f.resp_ip, f.resp_port ORDER BY n DESC`).all(...params) as { who: string; orig_ip: string; resp_ip: string; resp_port: number; n: number; ids: string; ports: string }[];
  return rows.map((r) => ({
    id: `stale-ack:${r.orig_ip}:${r.resp_ip}:${r.resp_port}`, rule: 'port-reused-while-held', severity: 'high',
    title: `Port reused while ${r.resp_ip}:${r.resp_port} still held the old connection`,
    detail: `${r.n} connection attempt(s) from ${r.who}${r.who !== r.orig_ip ? ` (as ${r.orig_ip})` : ''}, source port(s) ${r.ports}, were answered with a stale ACK (the previous connection's sequence numbers) and reset: SYN, ACK, RST. The port was reused while the peer, or a NAT on the way, still held the connection that last used it.`,
    evidence: [{ source: 'connections', flows: r.ids.split(',').map(Number).slice(0, 20) }],
    next_step: 'Ports are recycled faster than peers release them: reuse connections (pooling/keep-alive) in the pod, or give the node more SNAT ports / outbound IPs; the retried SYN usually succeeds a second later, so look for latency spikes rather than errors.',
  }));
};

/** Runbook §2: the control plane cannot reach the kubelet on 10250. */
const kubeletBlocked: Rule = (db, w, t) => {
  const port = t.kubeletPort;
  const rules = prepared(db, `SELECT s.path, r.line, json_extract(r.data, '$.text') AS text FROM records r JOIN sources s ON s.id = r.source_id
    WHERE r.kind = 'iptables' AND json_extract(r.data, '$.type') = 'rule' AND json_extract(r.data, '$.target') IN ('DROP', 'REJECT')
      AND EXISTS (SELECT 1 FROM json_each(json_extract(r.data, '$.dportNumbers')) WHERE value = ?)`).all(port) as { path: string; line: number; text: string }[];
  const nft = nftBlocking(db, port);
  const ufw = prepared(db, `SELECT s.path, r.line, r.data FROM records r JOIN sources s ON s.id = r.source_id WHERE r.kind = 'ufw'`).all() as { path: string; line: number; data: string }[];
  const ufwDeny = ufw.filter((u) => /"action":"(DENY|REJECT)/i.test(u.data) && u.data.includes(String(port)));
  const params: unknown[] = [];
  const syns = prepared(db, `SELECT f.orig_ip, count(*) AS n, group_concat(f.id) AS ids, min(f.orig_pod) AS pod FROM flows f
    WHERE f.proto = 'tcp' AND f.resp_port = ? AND f.state = 'S0'${windowSql('f.start_us', w, params)} GROUP BY f.orig_ip ORDER BY n DESC`).all(port, ...params) as { orig_ip: string; n: number; ids: string; pod: string | null }[];
  if (rules.length === 0 && nft.length === 0 && ufwDeny.length === 0 && syns.length === 0) return [];
  const parts: string[] = [];
  if (rules.length) parts.push(`iptables ${rules.map((r) => `"${r.text}"`).join(', ')}`);
  if (nft.length) parts.push(nft.map((r) => `"${r.text}"`).join(', '));
  if (ufwDeny.length) parts.push(`ufw denies ${port}`);
  if (syns.length) parts.push(`${syns.reduce((a, s) => a + s.n, 0)} connection attempts to :${port} never answered (S0) from ${syns.map((s) => s.pod ?? s.orig_ip).join(', ')}`);
  return [{
    id: 'kubelet-blocked', rule: 'kubelet-port-blocked', severity: 'high',
    title: `Kubelet port ${port} blocked`,
    detail: `${parts.join('; ')}. kubectl logs/exec/port-forward time out with "dial tcp <node-ip>:${port}: i/o timeout".`,
    evidence: [
      ...groupLines(rules),
      ...groupLines(nft),
      ...groupLines(ufwDeny),
      ...(syns.length ? [{ source: 'connections', flows: syns.flatMap((s) => s.ids.split(',').map(Number)).slice(0, 20) }] : []),
    ],
    next_step: `Remove the DROP/REJECT for tcp dpt:${port} in INPUT (iptables -D …, or nft delete rule … handle N), check ufw and the network security group for ${port}.`,
  }];
};

/** `nft list ruleset` rules that drop or reject the port, named as the RST evidence names nft rules. */
function nftBlocking(db: CaseDb, port: number): { path: string; line: number; text: string }[] {
  const rows = prepared(db, `SELECT s.path, r.source_id, r.data FROM records r JOIN sources s ON s.id = r.source_id
    WHERE r.kind = 'nft' AND json_extract(r.data, '$.type') IN ('rule', 'set')`).all() as { path: string; source_id: number; data: string }[];
  const bySource = new Map<number, { path: string; rules: NftRule[]; sets: NftSet[] }>();
  for (const r of rows) {
    let g = bySource.get(r.source_id);
    if (!g) bySource.set(r.source_id, (g = { path: r.path, rules: [], sets: [] }));
    const rec = JSON.parse(r.data) as NftRule | NftSet;
    if (rec.type === 'rule') g.rules.push(rec);
    else g.sets.push(rec);
  }
  return [...bySource.values()].flatMap((g) => nftRulesBlockingPort(g.rules, g.sets, port).map((r) => ({ path: g.path, line: r.line, text: nftRuleText(r) })));
}

const podIpReused: Rule = (db) => {
  const rows = prepared(db, `SELECT ip, group_concat(coalesce(namespace || '/', '') || pod, ', ') AS pods, count(*) AS n FROM identities WHERE kind = 'pod' AND ip IS NOT NULL
    GROUP BY ip HAVING count(DISTINCT pod) > 1`).all() as { ip: string; pods: string; n: number }[];
  return rows.map((r) => ({
    id: `ip-reused:${r.ip}`, rule: 'pod-ip-reused', severity: 'medium',
    title: `Pod IP ${r.ip} belonged to several pods`,
    detail: `${r.ip} was used by ${r.pods}. Flows and RSTs are attributed by time; connections from the old pod may be counted against the new one where times are unknown.`,
    evidence: [{ source: 'identities' }],
    next_step: 'Check pod start times (kubectl get pod -o json) to order the owners; expect stale connections to the old pod to be reset.',
  }));
};

/** Cilium's own drop records (Hubble DROPPED flows): one finding per drop reason. */
const datapathDrops: Rule = (db, w) => dropFindings(db, w);

const RULES: Rule[] = [conntrackFull, snatExhaustion, noReuse, middleboxRsts, nodeResets, peerAborts, refusedStorm, staleAckReuse, kubeletBlocked, podIpReused, datapathDrops];


export function listFindings(db: CaseDb, w: TimeWindow = {}, t: Thresholds = THRESHOLDS): FindingOut[] {
  const whole = w.fromUs === undefined && w.toUs === undefined;
  const stored = whole && t === THRESHOLDS ? readAnswer<FindingOut[]>(db, 'findings') : null;
  return stored ?? computeFindings(db, w, t);
}

/**
 * Every rule over the case's tables. `given` passes fan-out and ports already computed for the
 * same window (ranked lists; the rules read their heads).
 */
export function computeFindings(db: CaseDb, asked: TimeWindow = {}, t: Thresholds = THRESHOLDS, given: { fanout?: FanoutOut[]; ports?: PortsOut[] } = {}): FindingOut[] {
  // Every rule over the window as fan-out and ports answer it (whole minutes on a large case).
  const w = answeredWindow(planWindow(db, asked));
  let fanout = given.fanout;
  let ports = given.ports;
  // The top 50 openers and top 20 port groups; the rules' shorter lists are their heads (same order).
  const shared: Shared = {
    fanout: () => (fanout ??= listFanout(db, { ...w, limit: 50 })),
    ports: () => (ports ??= listPorts(db, { ...w, limit: 20, allocation: t.snatAllocation })),
  };
  return groupFindings(RULES.flatMap((r) => r(db, w, t, shared)));
}

function groupLines(rows: { path: string; line: number }[]): FindingOut['evidence'] {
  const by = new Map<string, number[]>();
  for (const r of rows) by.set(r.path, [...(by.get(r.path) ?? []), r.line]);
  return [...by].map(([source, lines]) => ({ source, lines }));
}

function evidenceForWho(db: CaseDb, who: string, netns: string | null, kind: string): FindingOut['evidence'] {
  if (kind === 'pcap') {
    // Written so each side can use its index (flows_orig_pod, flows_orig): `coalesce(...) = ?` scanned every flow.
    const ids = flowIds(db, `SELECT id FROM flows WHERE (orig_pod = ? OR (orig_pod IS NULL AND orig_ip = ?)) AND coalesce(+nat_side, 'pre') = 'pre' LIMIT 20`, [who, who]);
    return [{ source: 'connections', flows: ids }];
  }
  if ((kind === 'tcptracer' || kind === 'inspektor-gadget') && netns) {
    return groupLines(prepared(db, `SELECT s.path, t.line FROM tcp_events t JOIN sources s ON s.id = t.source_id WHERE t.netns = ? ORDER BY t.id LIMIT 50`).all(Number(netns)) as { path: string; line: number }[]);
  }
  if (kind === 'inspektor-gadget') {
    return groupLines(prepared(db, `SELECT s.path, t.line FROM tcp_events t JOIN sources s ON s.id = t.source_id WHERE t.pod = ? AND t.netns IS NULL ORDER BY t.id LIMIT 50`).all(who) as { path: string; line: number }[]);
  }
  const ev = prepared(db, `SELECT evidence FROM identities WHERE (pod = ? OR ip = ? OR netns_inode = ?) LIMIT 1`).get(who.split('/').pop(), who, netns === null ? null : Number(netns)) as { evidence: string } | undefined;
  if (!ev) return [];
  const links = JSON.parse(ev.evidence) as { source: string; line: number | null }[];
  return groupLines(links.filter((e) => e.line !== null).map((e) => ({ path: e.source, line: e.line as number })));
}
