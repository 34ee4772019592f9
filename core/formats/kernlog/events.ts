import type { KernLogRecord } from './types.js';

type EventFields = Pick<KernLogRecord, 'event' | 'count' | 'subsystem' | 'value' | 'key'>;

/**
 * Names the messages podcap reasons about. The nf_conntrack prefix is sometimes printed twice
 * (`nf_conntrack: nf_conntrack: table full`, older kernels' pr_fmt plus an explicit prefix), and
 * older kernels say `ip_conntrack`.
 */
export function classifyMessage(msg: string): EventFields {
  const m = msg.trim();
  if (/^(?:(?:nf|ip)_conntrack: )+table full, dropping packet\.?$/.test(m)) return { event: 'conntrack_table_full' };
  if (/^(?:nf_conntrack: )+expectation table full$/.test(m)) return { event: 'conntrack_expect_table_full' };
  let r = /^([\w.-]+): (\d+) callbacks suppressed$/.exec(m);
  if (r) return { event: 'ratelimit_suppressed', subsystem: r[1], count: Number(r[2]) };
  r = /Setting nf_conntrack_max to (\d+)/.exec(m);
  if (r) return { event: 'conntrack_max_set', value: Number(r[1]) };
  r = /Setting conntrack hashsize to (\d+)/.exec(m);
  if (r) return { event: 'conntrack_hashsize_set', value: Number(r[1]) };
  r = /Set sysctl '([^']+)' to (\d+)/.exec(m);
  if (r) return { event: 'sysctl_set', key: r[1], value: Number(r[2]) };
  r = /^neighbour: (\w+): neighbor table overflow!?$/.exec(m);
  if (r) return { event: 'neighbor_table_overflow', subsystem: r[1] };
  r = /Possible SYN flooding on port (?:\[?[\w:.]*\]?:)?(\d+)\b/.exec(m);
  if (r) return { event: 'syn_flood', value: Number(r[1]) };
  return { event: 'other' };
}
