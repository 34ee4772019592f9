/**
 * IP address and CIDR parsing for the display filter and the `ip_in_cidr` SQL function. Pure
 * (no Node imports): the renderer uses it to check a filter as it is typed. Addresses come out in
 * the text form the case stores (dotted quad; RFC 5952 for IPv6, as core/net/ip-text.ts prints).
 */
import { ipv4Text, ipv6Text } from './ip-text.js';

export interface Cidr {
  v6: boolean;
  /** Network address bytes (host bits cleared). */
  bytes: Uint8Array;
  bits: number;
}

export function parseIpv4(s: string): Uint8Array | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

export function parseIpv6(s: string): Uint8Array | null {
  if (!/^[0-9A-Fa-f:.]+$/.test(s) || !s.includes(':')) return null;
  let tail: Uint8Array | null = null;
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail = parseIpv4(s.slice(lastColon + 1));
    if (!tail) return null;
    text = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const words = (h: string) => (h === '' ? [] : h.split(':'));
  const head = words(halves[0]);
  const rest = halves.length === 2 ? words(halves[1]) : [];
  const total = head.length + rest.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return null;
  const all = [...head, ...new Array<string>(8 - total).fill('0'), ...rest];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9A-Fa-f]{1,4}$/.test(all[i])) return null;
    const n = parseInt(all[i], 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  }
  if (tail) out.set(tail, 12);
  return out;
}

export function parseIp(s: string): Uint8Array | null {
  return s.includes(':') ? parseIpv6(s) : parseIpv4(s);
}

/** RFC 5952 text, with the dotted tail kept for IPv4-mapped addresses (as inet_ntop prints). */
export function ipText(b: Uint8Array): string {
  return b.length === 4 ? ipv4Text(b, 0) : ipv6Text(b, 0);
}

/** `10.244.0.0/16`, `fd00::/8`; a bare address is a /32 or /128. Host bits are cleared. */
export function parseCidr(s: string): Cidr | null {
  const slash = s.indexOf('/');
  const addr = parseIp(slash < 0 ? s : s.slice(0, slash));
  if (!addr) return null;
  const max = addr.length * 8;
  let bits = max;
  if (slash >= 0) {
    const b = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b)) return null;
    bits = Number(b);
    if (bits > max) return null;
  }
  const bytes = addr.slice();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    bytes[i] &= keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
  }
  return { v6: addr.length === 16, bytes, bits };
}

export function cidrContains(c: Cidr, addr: Uint8Array): boolean {
  if (addr.length !== c.bytes.length) return false;
  const full = c.bits >> 3;
  for (let i = 0; i < full; i++) if (addr[i] !== c.bytes[i]) return false;
  const rem = c.bits & 7;
  if (rem === 0) return true;
  const mask = (0xff << (8 - rem)) & 0xff;
  return (addr[full] & mask) === c.bytes[full];
}

/**
 * For an IPv4 network on an octet boundary (/8, /16, /24), the stored dotted text of every member
 * starts with the same prefix ("10.244."), so `col >= '10.244.' AND col < '10.244/'` selects
 * exactly the members and can use the address indexes ('/' sorts right after '.').
 */
export function ipv4TextPrefix(c: Cidr): string | null {
  if (c.v6 || c.bits === 0 || c.bits === 32 || c.bits % 8 !== 0) return null;
  return Array.from(c.bytes.slice(0, c.bits / 8)).join('.') + '.';
}

/**
 * Orders addresses as numbers, not as text (10.244.1.9 before 10.244.1.10 before 10.244.1.100):
 * IPv4 before IPv6, anything that is not an address (or none) last, by its text.
 */
export function compareIps(a: string | null, b: string | null): number {
  const x = a === null ? null : parseIp(a);
  const y = b === null ? null : parseIp(b);
  if (!x || !y) return x ? -1 : y ? 1 : (a ?? '').localeCompare(b ?? '');
  if (x.length !== y.length) return x.length - y.length;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}
