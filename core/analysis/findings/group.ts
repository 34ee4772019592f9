/**
 * One finding per cause: the rules speak per subject (a destination short of SNAT ports, a pod that
 * opens a connection per request, an endpoint that refuses), and a busy node's one SNAT story came
 * out as a dozen cards. Findings of one rule become one, its subjects listed inside it, worst
 * first; the causes are ranked by their worst severity, then by how many subjects they touch.
 */
import type { FindingOut } from './finding.js';

export const SEVERITY_ORDER: Record<FindingOut['severity'], number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** The headline of a cause with `n` subjects (the subjects themselves are listed in `affected`). */
const GROUP_TITLES: Record<string, (n: number) => string> = {
  'snat-utilization': (n) => `SNAT ports short for ${n} destinations`,
  'no-connection-reuse': (n) => `${n} pods open a new connection per request`,
  'refused-port': (n) => `Connections refused by ${n} endpoints`,
  'node-reject-reset': (n) => `This node's REJECT rules reset connections to ${n} endpoints`,
  'server-aborts': (n) => `${n} servers aborted connections`,
  'port-reused-while-held': (n) => `SNAT ports reused while ${n} destinations still held them`,
  'middlebox-rst': (n) => `RSTs from a middlebox in the name of ${n} peers`,
  'idle-timeout-reset': (n) => `Idle connections to ${n} peers reset by a middlebox`,
  'pod-ip-reused': (n) => `${n} pod IPs reused by other pods`,
};

export function groupFindings(findings: readonly Omit<FindingOut, 'affected'>[]): FindingOut[] {
  const byRule = new Map<string, Omit<FindingOut, 'affected'>[]>();
  for (const f of findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  const out: FindingOut[] = [];
  for (const [rule, fs] of byRule) {
    const members = [...fs].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.id.localeCompare(b.id));
    if (members.length === 1) {
      out.push({ ...members[0], affected: [] });
      continue;
    }
    const worst = members[0];
    out.push({
      id: rule,
      rule,
      severity: worst.severity,
      title: GROUP_TITLES[rule]?.(members.length) ?? `${worst.title} (and ${members.length - 1} more of the same cause)`,
      detail: `${members.length} affected, the worst first: ${members.slice(0, 3).map((m) => m.title).join('; ')}${members.length > 3 ? '; …' : ''}.`,
      evidence: mergeEvidence(members.flatMap((m) => m.evidence)),
      next_step: worst.next_step,
      affected: members.map(({ id, severity, title, detail }) => ({ id, severity, title, detail })),
    });
  }
  return out.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.affected.length - a.affected.length || a.id.localeCompare(b.id));
}

/** One entry per source: the subjects' lines, packets and flows together (worst subject's first), each list bounded. */
function mergeEvidence(all: FindingOut['evidence']): FindingOut['evidence'] {
  const by = new Map<string, FindingOut['evidence'][number]>();
  for (const e of all) {
    const m = by.get(e.source) ?? { source: e.source };
    if (e.lines) m.lines = [...new Set([...(m.lines ?? []), ...e.lines])].slice(0, 200);
    if (e.flows) m.flows = [...new Set([...(m.flows ?? []), ...e.flows])].slice(0, 200);
    if (e.packets !== undefined) m.packets = (m.packets ?? 0) + e.packets;
    by.set(e.source, m);
  }
  return [...by.values()];
}
