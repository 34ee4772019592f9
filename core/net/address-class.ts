import { parseIpv4 } from './ip-text.js';

/**
 * Address classes as the SNAT runbook needs them: only traffic to public addresses uses the
 * load balancer's SNAT ports. Documentation ranges (TEST-NET) count as public: labs use them so.
 */
export type AddressClass = 'public' | 'rfc1918' | 'cgnat' | 'link-local' | 'loopback' | 'multicast' | 'unspecified' | 'ula' | 'cluster';

const V4_RANGES: [number, number, AddressClass][] = [
  [0x0a000000, 8, 'rfc1918'],
  [0xac100000, 12, 'rfc1918'],
  [0xc0a80000, 16, 'rfc1918'],
  [0x64400000, 10, 'cgnat'],
  [0xa9fe0000, 16, 'link-local'],
  [0x7f000000, 8, 'loopback'],
  [0xe0000000, 4, 'multicast'],
  [0x00000000, 8, 'unspecified'],
];

function inV4(n: number, base: number, bits: number): boolean {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((n & mask) >>> 0) === base;
}

export interface ClusterRanges {
  /** Pod and service CIDRs of the cluster, when the case knows them (kubectl nodes podCIDR…). */
  v4: { base: number; bits: number }[];
}

export function parseV4Cidr(s: string): { base: number; bits: number } | null {
  const [ip, b] = s.split('/');
  const n = parseIpv4(ip);
  const bits = Number(b);
  if (Number.isNaN(n) || !Number.isInteger(bits) || bits < 0 || bits > 32) return null;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (n & mask) >>> 0, bits };
}

export function addressClass(ip: string, cluster?: ClusterRanges): AddressClass {
  if (ip.includes(':')) {
    const l = ip.toLowerCase();
    if (l.startsWith('::ffff:') && l.includes('.')) return addressClass(l.slice(7), cluster);
    if (l === '::1') return 'loopback';
    if (l === '::') return 'unspecified';
    if (/^fe[89ab]/.test(l)) return 'link-local';
    if (/^f[cd]/.test(l)) return 'ula';
    if (l.startsWith('ff')) return 'multicast';
    return 'public';
  }
  const n = parseIpv4(ip);
  if (Number.isNaN(n)) return 'unspecified';
  if (cluster) for (const c of cluster.v4) if (inV4(n, c.base, c.bits)) return 'cluster';
  for (const [base, bits, cls] of V4_RANGES) if (inV4(n, base, bits)) return cls;
  return 'public';
}

export function isPublic(ip: string, cluster?: ClusterRanges): boolean {
  return addressClass(ip, cluster) === 'public';
}
