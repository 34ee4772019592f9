import type { CiliumRecord } from '../formats/cilium/types.js';
import type { ConntrackRecord } from '../formats/conntrack/types.js';
import type { IgRecord } from '../formats/inspektor-gadget/types.js';
import type { KernLogRecord } from '../formats/kernlog/types.js';
import type { TcpTracerCountRecord, TcpTracerRecord } from '../formats/tcptracer/types.js';
import type { CaseDb } from './open-case.js';

/** A parsed text record as the writer sees it: a line, maybe a time, and a sub-type. */
interface AnyRecord {
  line?: number;
  tsUs?: number;
  kind?: string;
  rtype?: string;
}

/**
 * Writes parsed node-tool records: every record verbatim into `records`, plus the projections the
 * analyses query by column (tcp events, conntrack entries, kernel events).
 */
export class RecordWriter {
  private readonly insRecord;
  private readonly insTcp;
  private readonly insCt;
  private readonly insKern;

  constructor(db: CaseDb) {
    this.insRecord = db.prepare('INSERT INTO records (source_id, kind, rtype, line, ts_us, data) VALUES (?, ?, ?, ?, ?, ?)');
    this.insTcp = db.prepare(`INSERT INTO tcp_events (source_id, line, ts_us, ts_relative, type, pid, comm, saddr, daddr, sport, dport, netns, count, pod, tool)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insCt = db.prepare(`INSERT INTO conntrack_entries (source_id, line, ts_us, event, proto, state, timeout, orig_src, orig_dst, orig_sport, orig_dport,
      reply_src, reply_dst, reply_sport, reply_dport, assured, unreplied, mark, zone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insKern = db.prepare('INSERT INTO kernel_events (source_id, line, ts_us, event, count, value, host) VALUES (?, ?, ?, ?, ?, ?, ?)');
  }

  write(sourceId: number, kind: string, records: unknown[]): { first: number | null; last: number | null } {
    let first: number | null = null;
    let last: number | null = null;
    for (const rec of records) {
      const r = rec as AnyRecord;
      const ts = typeof r.tsUs === 'number' && !(r as { tsRelative?: boolean }).tsRelative ? r.tsUs : null;
      if (ts !== null) {
        if (first === null || ts < first) first = ts;
        if (last === null || ts > last) last = ts;
      }
      this.insRecord.run(sourceId, kind, r.kind ?? r.rtype ?? null, r.line ?? null, ts, JSON.stringify(rec));
      this.project(sourceId, kind, rec);
    }
    return { first, last };
  }

  private project(sourceId: number, kind: string, rec: unknown): void {
    if (kind === 'tcptracer') {
      const t = rec as TcpTracerRecord;
      this.insTcp.run(sourceId, t.line, t.tsUs ?? null, t.tsRelative ? 1 : 0, t.type, t.pid, t.comm, t.saddr, t.daddr, t.sport, t.dport, t.netns ?? null, 1, igPod(t.k8s), kind);
    } else if (kind === 'tcptracer-count') {
      const t = rec as TcpTracerCountRecord;
      this.insTcp.run(sourceId, t.line, null, 0, t.type ?? 'connect', t.pid ?? null, t.comm ?? null, t.saddr ?? null, t.daddr ?? null,
        t.sport ?? null, t.dport ?? null, t.netns ?? null, t.count, null, kind);
    } else if (kind === 'inspektor-gadget') {
      // Only the event gadgets are connections opened/accepted/closed; top tcp, snapshot socket
      // and trace network rows describe state or aggregates and stay in `records`.
      const g = rec as IgRecord;
      if ((g.gadget !== 'trace_tcp' && g.gadget !== 'trace_tcpconnect') || !g.event) return;
      this.insTcp.run(sourceId, g.line, g.tsUs ?? null, 0, g.event, g.pid, g.comm, g.saddr, g.daddr, g.sport, g.dport, g.netns ?? null, 1, igPod(g.k8s), kind);
    } else if (kind === 'conntrack') {
      const c = rec as ConntrackRecord;
      if (c.kind !== 'entry') return;
      this.insCt.run(sourceId, c.line, c.tsUs ?? null, c.event ?? null, c.proto, c.tcpState ?? c.protoState ?? null, c.timeout ?? null,
        c.orig.src, c.orig.dst, c.orig.sport ?? null, c.orig.dport ?? null, c.reply.src, c.reply.dst, c.reply.sport ?? null, c.reply.dport ?? null,
        c.flags.includes('ASSURED') ? 1 : 0, c.flags.includes('UNREPLIED') ? 1 : 0, c.mark ?? null, c.zone ?? null);
    } else if (kind === 'cilium-bpf') {
      // The eBPF datapath's conntrack: one entry per tuple as Cilium keys it (reply = the tuple reversed;
      // Cilium keeps NAT in its own map). `expires` is on the agent's clock, not a remaining time.
      const c = rec as CiliumRecord;
      if (c.type !== 'ct' || (c.proto !== 'tcp' && c.proto !== 'udp')) return;
      const closing = c.flags.includes('RxClosing') || c.flags.includes('TxClosing');
      const state = c.proto !== 'tcp' ? null : closing ? 'CLOSING' : c.flags.includes('SeenNonSyn') ? 'ESTABLISHED' : 'SYN_SENT';
      const unreplied = c.rxPackets === 0 && (c.txPackets ?? 0) > 0;
      this.insCt.run(sourceId, c.line, null, null, c.proto, state, null, c.src, c.dst, c.sport, c.dport, c.dst, c.src, c.dport, c.sport,
        0, unreplied ? 1 : 0, null, null);
    } else if (kind === 'kernlog') {
      const k = rec as KernLogRecord;
      if (k.event === 'other') return;
      this.insKern.run(sourceId, k.line, k.tsUs ?? null, k.event, k.count ?? null, k.value ?? null, k.host ?? null);
    }
  }
}

/** `namespace/pod` as the tracer named it; a pod without a namespace is named alone. */
function igPod(k8s: { namespace?: string; pod?: string } | undefined): string | null {
  if (!k8s?.pod) return null;
  return k8s.namespace ? `${k8s.namespace}/${k8s.pod}` : k8s.pod;
}
