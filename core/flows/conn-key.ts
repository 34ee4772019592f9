import type { ConnProto, ConnRecord } from './types.js';

/**
 * Direction-free key of a TCP/UDP 5-tuple: both directions of a connection give the same string,
 * so records from several capture files (or with flipped roles) can be joined on it. Addresses are
 * compared as text; any fixed order works. (The tracker's own table hashes in place instead.)
 */
export function connKey(proto: 'tcp' | 'udp', srcIp: string, srcPort: number, dstIp: string, dstPort: number): string {
  const pre = proto === 'tcp' ? 't' : 'u';
  return srcIp < dstIp || (srcIp === dstIp && srcPort <= dstPort)
    ? pre + srcIp + ' ' + srcPort + ' ' + dstIp + ' ' + dstPort
    : pre + dstIp + ' ' + dstPort + ' ' + srcIp + ' ' + srcPort;
}

/** The 5-tuple as the originator saw it, for display and joins: `tcp 10.0.0.1:4000 > 10.0.0.2:80`. */
export function flowLabel(r: Pick<ConnRecord, 'proto' | 'origIp' | 'origPort' | 'respIp' | 'respPort'>): string {
  return `${r.proto} ${hostPort(r.origIp, r.origPort)} > ${hostPort(r.respIp, r.respPort)}`;
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Key of a record's tuple (TCP/UDP), or null for ICMP whose "ports" are types. */
export function recordKey(r: Pick<ConnRecord, 'proto' | 'origIp' | 'origPort' | 'respIp' | 'respPort'>): string | null {
  const proto: ConnProto = r.proto;
  if (proto === 'icmp') return null;
  return connKey(proto, r.origIp, r.origPort, r.respIp, r.respPort);
}
