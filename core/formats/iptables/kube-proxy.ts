import { hostAddress } from './rule-fields.js';
import type { IptablesRecord, IptablesRule, KubeProxyEndpoint, KubeProxyService } from './types.js';

/**
 * Rebuilds kube-proxy's (iptables mode) service map from its rules:
 *   KUBE-SERVICES  -d <clusterIP> --dport P  "ns/svc:port cluster IP"        → KUBE-SVC-X
 *   KUBE-SERVICES  -d <LB/external IP>       "ns/svc:port loadbalancer IP"    → KUBE-EXT-X / KUBE-FW-X
 *   KUBE-NODEPORTS --dport N                 "ns/svc:port"                    → KUBE-EXT-X / KUBE-SVC-X
 *   KUBE-EXT-X / KUBE-FW-X / KUBE-XLB-X     → KUBE-SVC-X or KUBE-SVL-X
 *   KUBE-SVC-X     → KUBE-SEP-Y (statistic probability)      KUBE-SEP-Y → DNAT --to-destination ip:port
 * and kube-proxy's "ns/svc:port has no endpoints" REJECT rules. Works for both save and -L forms.
 */
export function kubeProxyServices(records: readonly IptablesRecord[]): KubeProxyService[] {
  const rules = records.filter((r): r is IptablesRule => r.type === 'rule');
  const byChain = new Map<string, IptablesRule[]>();
  for (const r of rules) {
    const key = chainKey(r.table, r.chain);
    const list = byChain.get(key) ?? [];
    list.push(r);
    byChain.set(key, list);
  }
  const services = new Map<string, KubeProxyService>();
  const get = (name: string, r: IptablesRule): KubeProxyService | undefined => {
    const m = /^([^/\s]+)\/([^:\s]+):?(\S*)$/.exec(name);
    if (!m) return undefined;
    const key = `${r.table ?? ''}|${name}`;
    let s = services.get(key);
    if (!s) {
      s = {
        type: 'kubeService',
        service: name,
        namespace: m[1]!,
        name: m[2]!,
        portName: m[3]!,
        externalIps: [],
        loadBalancerIps: [],
        endpoints: [],
        line: r.line,
        ...(r.table ? { table: r.table } : {}),
      };
      services.set(key, s);
    }
    return s;
  };

  for (const r of rules) {
    const comment = r.comment;
    if (!comment) continue;
    const noEp = /^(\S+) has no endpoints$/.exec(comment);
    if (noEp && (r.target === 'REJECT' || r.target === 'DROP')) {
      const s = get(noEp[1]!, r);
      if (s) {
        s.noEndpoints = true;
        fill(s, r, 'cluster IP');
      }
      continue;
    }
    if (r.chain !== 'KUBE-SERVICES' && r.chain !== 'KUBE-NODEPORTS') continue;
    if (!r.target || !/^KUBE-(SVC|SVL|EXT|FW|XLB)-/.test(r.target)) continue;
    const m = /^(\S+?)(?: (cluster IP|loadbalancer IP|external IP))?$/.exec(comment);
    if (!m) continue;
    const s = get(m[1]!, r);
    if (!s) continue;
    const role = r.chain === 'KUBE-NODEPORTS' ? 'node port' : (m[2] ?? 'cluster IP');
    fill(s, r, role);
    s.svcChain ??= resolveSvcChain(r.target, r.table, byChain);
  }

  for (const s of services.values()) {
    if (!s.svcChain) continue;
    for (const r of byChain.get(chainKey(s.table, s.svcChain)) ?? []) {
      if (!r.target?.startsWith('KUBE-SEP-')) continue;
      const ep = endpointOf(r, byChain);
      if (ep) s.endpoints.push(ep);
    }
  }
  return [...services.values()].sort((a, b) => a.line - b.line);
}

function chainKey(table: string | undefined, chain: string): string {
  return `${table ?? ''}|${chain}`;
}

function fill(s: KubeProxyService, r: IptablesRule, role: string): void {
  if (r.protocol && r.protocol !== 'all') s.protocol ??= r.protocol;
  const port = r.dportNumbers?.[0];
  const dest = hostAddress(r.destination);
  if (role === 'node port') {
    if (port !== undefined) s.nodePort = port;
  } else if (role === 'cluster IP') {
    if (dest) s.clusterIp ??= dest;
    if (port !== undefined) s.port ??= port;
  } else if (dest) {
    const list = role === 'loadbalancer IP' ? s.loadBalancerIps : s.externalIps;
    if (!list.includes(dest)) list.push(dest);
    if (port !== undefined) s.port ??= port;
  }
}

/** From KUBE-EXT-/KUBE-FW-/KUBE-XLB- follow the jumps to the KUBE-SVC-/KUBE-SVL- chain. */
function resolveSvcChain(target: string, table: string | undefined, byChain: Map<string, IptablesRule[]>): string | undefined {
  let cur = target;
  const seen = new Set<string>();
  while (!seen.has(cur)) {
    seen.add(cur);
    if (/^KUBE-SV[CL]-/.test(cur)) return cur;
    const next = (byChain.get(chainKey(table, cur)) ?? []).find((r) => r.target && /^KUBE-(SVC|SVL|EXT|FW|XLB)-/.test(r.target));
    if (!next?.target) return undefined;
    cur = next.target;
  }
  return undefined;
}

function endpointOf(jump: IptablesRule, byChain: Map<string, IptablesRule[]>): KubeProxyEndpoint | undefined {
  const sep = jump.target!;
  const dnat = (byChain.get(chainKey(jump.table, sep)) ?? []).find((r) => r.target === 'DNAT' && r.toDestination);
  // Newer kube-proxy also names the endpoint in the jump's comment: "ns/svc:port -> 10.0.0.5:8080".
  const fromComment = /-> (\S+)$/.exec(jump.comment ?? '')?.[1];
  const hostPort = splitHostPort(dnat?.toDestination ?? fromComment);
  if (!hostPort) return undefined;
  return {
    ip: hostPort.host,
    port: hostPort.port,
    sepChain: sep,
    line: dnat?.line ?? jump.line,
    ...(jump.probability !== undefined ? { probability: jump.probability } : {}),
  };
}

/** `10.0.0.5:8080`, `[fd00::5]:8080`. */
function splitHostPort(v: string | undefined): { host: string; port: number } | undefined {
  if (!v) return undefined;
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(v);
  return m ? { host: m[1]!, port: Number(m[2]) } : undefined;
}
