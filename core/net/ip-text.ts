/**
 * IP address text, the way Wireshark and tcpdump print it (RFC 5952 for IPv6). Formatting is on
 * the per-packet path, so IPv4 strings are memoised by their 32-bit value.
 */
const v4Cache = new Map<number, string>();
const V4_CACHE_MAX = 1 << 16;

export function ipv4Text(b: Uint8Array, o: number): string {
  const n = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  let s = v4Cache.get(n);
  if (s === undefined) {
    s = `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
    if (v4Cache.size >= V4_CACHE_MAX) v4Cache.clear();
    v4Cache.set(n, s);
  }
  return s;
}

export function ipv6Text(b: Uint8Array, o: number): string {
  const w: number[] = new Array(8);
  for (let i = 0; i < 8; i++) w[i] = (b[o + 2 * i] << 8) | b[o + 2 * i + 1];
  // IPv4-mapped addresses keep the dotted tail, as inet_ntop prints them.
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0xffff) {
    return `::ffff:${b[o + 12]}.${b[o + 13]}.${b[o + 14]}.${b[o + 15]}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestLen < 2) bestStart = -1; // RFC 5952 4.2.2: a single 0 field is not compressed
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (out.length > 0 && !out.endsWith(':')) out += ':';
    out += w[i].toString(16);
  }
  return out;
}

/** Parses dotted IPv4 text to its 32-bit value; NaN when it is not one. */
export function parseIpv4(s: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return NaN;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const v = Number(m[i]);
    if (v > 255) return NaN;
    n = n * 256 + v;
  }
  return n;
}

/** `ip:port`, IPv6 in brackets (RFC 3986), as ss and Wireshark print an endpoint. */
export function endpointText(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
