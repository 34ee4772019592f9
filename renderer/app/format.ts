/** Display formats shared by tables and charts. Times are UTC, as captures and node logs are. */
import { endpointText } from '../../core/net/ip-text';

export function fmtTime(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec)) return '—';
  return new Date(sec * 1000).toISOString().replace('T', ' ').replace('Z', '');
}

export function fmtTimeUs(us: number | null | undefined): string {
  return us === null || us === undefined ? '—' : fmtTime(us / 1e6);
}

export function fmtShortTime(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(11, 19);
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function fmtNum(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

export function fmtDuration(s: number): string {
  if (s < 1) return `${(s * 1000).toFixed(1)} ms`;
  if (s < 120) return `${s.toFixed(2)} s`;
  return `${(s / 60).toFixed(1)} min`;
}

/** `2024-05-01 10:00:00[.123]` (UTC) → epoch µs; null when it is not a time. */
export function parseTimeUs(text: string): number | null {
  const t = text.trim();
  if (!/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d{1,6})?)?Z?$/.test(t)) return null;
  const ms = Date.parse(t.replace(' ', 'T').replace(/Z?$/, 'Z'));
  if (!Number.isFinite(ms)) return null;
  const frac = /\.(\d{1,6})/.exec(t)?.[1] ?? '';
  return Math.floor(ms / 1000) * 1e6 + Number(frac.padEnd(6, '0') || 0);
}

/** `ip:port`, with IPv6 addresses in brackets (RFC 3986), as Wireshark and ss print them. */
export function fmtEndpoint(ip: string, port: number | null | undefined): string {
  if (port === null || port === undefined) return ip.includes(':') ? `[${ip}]` : ip;
  return endpointText(ip, port);
}

/** The last part of a source path (`bundle.tar.gz!/node/capture.pcap` → `capture.pcap`). */
export function fileName(path: string): string {
  return path.split(/[\\/!]/).filter(Boolean).pop() ?? path;
}
