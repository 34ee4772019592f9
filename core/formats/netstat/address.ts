/**
 * Address and port text as node tools print them (netstat, ss, conntrack, tcptracer, Windows
 * netstat). conntrack and tcptracer import this too, so all node-tool records carry IPs in one
 * canonical text form (dotted IPv4, RFC 5952 IPv6 as core/decode prints it) and joins work.
 */
import { isIPv4 } from 'node:net';
import { ipv6Text } from '../../net/ip-text.js';

export interface IpText {
  ip: string;
  version: 4 | 6;
  /** IPv6 scope / interface suffix (`%eth0`), kept apart so the address still joins. */
  zone?: string;
}

/**
 * People mask dumps before sharing them (`10.x.x.x`, `3xxx9`, `xxxx`): the value is gone, but
 * the line is still real. Hex literals (`0x1f`) are not masks.
 */
export function isMaskedText(s: string): boolean {
  if (/^0x[0-9a-f]+$/i.test(s)) return false;
  return /[xX]/.test(s) && /^[0-9a-fA-FxX.:[\]%*/-]+$/.test(s);
}

/** Parses an IP in any spelling the tools use (`[::1]`, `fe80::1%eth0`, full-width /proc IPv6). */
export function parseIpText(raw: string): IpText | null {
  let s = raw;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  let zone: string | undefined;
  const pct = s.indexOf('%');
  if (pct >= 0) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === '') return null;
  }
  if (isIPv4(s)) return zone === undefined ? { ip: s, version: 4 } : { ip: s, version: 4, zone };
  const bytes = ipv6Bytes(s);
  if (!bytes) return null;
  const ip = ipv6Text(bytes, 0);
  return zone === undefined ? { ip, version: 6 } : { ip, version: 6, zone };
}

function ipv6Bytes(s: string): Uint8Array | null {
  if (s.length < 2 || s.length > 45 || !/^[0-9a-fA-F:.]+$/.test(s)) return null;
  const words: number[] = [];
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) return null;
  const parseSide = (part: string, out: number[]): boolean => {
    if (part === '') return true;
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (i === groups.length - 1 && g.includes('.')) {
        if (!isIPv4(g)) return false;
        const o = g.split('.').map(Number);
        out.push((o[0] << 8) | o[1], (o[2] << 8) | o[3]);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
      out.push(parseInt(g, 16));
    }
    return true;
  };
  if (dbl >= 0) {
    const head: number[] = [];
    const tail: number[] = [];
    if (!parseSide(s.slice(0, dbl), head) || !parseSide(s.slice(dbl + 2), tail)) return null;
    if (head.length + tail.length > 7) return null;
    words.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  } else {
    if (!parseSide(s, words) || words.length !== 8) return null;
  }
  const b = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    b[2 * i] = words[i] >> 8;
    b[2 * i + 1] = words[i] & 0xff;
  }
  return b;
}

export interface Endpoint {
  /** Canonical IP, `*` for a wildcard, or the masked text verbatim (see `ipMasked`). */
  ip: string;
  version: 4 | 6 | null;
  zone?: string;
  /** null for `*` (any port) and for a masked port. */
  port: number | null;
  ipMasked: boolean;
  portMasked: boolean;
}

/**
 * Splits `host:port` as netstat/ss/Windows print it: `1.2.3.4:80`, `[::1]:80`, `:::80`,
 * `fd88::2:8443` (netstat's unbracketed IPv6: the port is after the last colon), `*:*`,
 * `10.0.0.1%eth0:53`, `[fe80::1%4]:123`. null when it is not a numeric endpoint.
 */
export function parseEndpoint(text: string): Endpoint | null {
  const cut = text.lastIndexOf(':');
  if (cut <= 0 || cut === text.length - 1) return null;
  const host = text.slice(0, cut);
  const portText = text.slice(cut + 1);
  let port: number | null = null;
  let portMasked = false;
  if (portText === '*') port = null;
  else if (/^\d{1,5}$/.test(portText) && Number(portText) <= 65535) port = Number(portText);
  else if (isMaskedText(portText)) portMasked = true;
  else return null;
  if (host === '*' || host === '[*]') return { ip: '*', version: null, port, ipMasked: false, portMasked };
  let h = host;
  // ss prints a scope before the port outside the brackets: [fe80::1]%eth0:22
  let zone: string | undefined;
  const m = /^(\[[^\]]+\])%([^%]+)$/.exec(h);
  if (m) {
    h = m[1];
    zone = m[2];
  }
  const ip = parseIpText(h);
  if (ip) {
    const z = ip.zone ?? zone;
    const ep: Endpoint = { ip: ip.ip, version: ip.version, port, ipMasked: false, portMasked };
    if (z !== undefined) ep.zone = z;
    return ep;
  }
  if (isMaskedText(h)) {
    const v = h.includes(':') ? 6 : h.includes('.') ? 4 : null;
    return { ip: h, version: v, port, ipMasked: true, portMasked };
  }
  return null;
}

/** Decimal seconds text (`3.546`, `1466520286.987453`) to integer µs without float rounding. */
export function secondsTextToUs(s: string): number | null {
  const m = /^(\d+)(?:[.,](\d+))?$/.exec(s);
  if (!m) return null;
  const frac = (m[2] ?? '').slice(0, 6).padEnd(6, '0');
  return Number(m[1]) * 1_000_000 + Number(frac);
}
