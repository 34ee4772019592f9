/**
 * A valid classic pcap of many short TCP connections from a few hundred pod addresses to one
 * service (SYN, SYN-ACK, ACK, request, response, FINs), for measuring ingest cost where a real
 * capture cannot be made (make-bench-capture.sh needs root and a lab). Many connections to one
 * service is the shape that made the cross-source twin lookup quadratic (issue 10).
 * Deterministic: `node dist/synthetic-capture.js OUT MB [seed]`.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { pcapFileHeader, pcapRecord } from '../core/formats/pcap/writer.js';

const LINKTYPE_ETHERNET = 1;

function frame(src: number, dst: number, sport: number, dport: number, seq: number, ack: number, flags: number, payload: number): Uint8Array {
  const b = new Uint8Array(14 + 20 + 20 + payload);
  const v = new DataView(b.buffer);
  v.setUint16(12, 0x0800);
  v.setUint8(14, 0x45);
  v.setUint16(16, 40 + payload);
  v.setUint8(22, 64);
  v.setUint8(23, 6);
  v.setUint32(26, src);
  v.setUint32(30, dst);
  v.setUint16(34, sport);
  v.setUint16(36, dport);
  v.setUint32(38, seq >>> 0);
  v.setUint32(42, ack >>> 0);
  v.setUint8(46, 0x50);
  v.setUint8(47, flags);
  v.setUint16(48, 65535);
  b.fill(0x61, 54);
  return b;
}

const ip = (s: string) => s.split('.').reduce((a, x) => a * 256 + Number(x), 0);
const SYN = 0x02, ACK = 0x10, PSH = 0x08, FIN = 0x01;

export function writeSyntheticCapture(out: string, megabytes: number, seed = 1): { connections: number; packets: number } {
  const fd = openSync(out, 'w');
  const bufs: Uint8Array[] = [];
  let pending = 0;
  const flush = () => { writeSync(fd, Buffer.concat(bufs)); bufs.length = 0; pending = 0; };
  const put = (b: Uint8Array) => { bufs.push(b); pending += b.length; if (pending > 1 << 22) flush(); };
  put(pcapFileHeader(LINKTYPE_ETHERNET, 262144));
  const svc = ip('10.96.0.10');
  let bytes = 24, t = 1_790_000_000_000_000 + seed * 1_000_000_000, conns = 0, packets = 0;
  while (bytes < megabytes * 1e6) {
    const client = ip('10.244.0.0') + 2 + (conns % 300);
    const sport = 10000 + ((conns * 7919 + seed) % 50000);
    const cisn = (conns * 2654435761 + seed) >>> 0, sisn = (conns * 40503 + 17 * seed) >>> 0;
    const req = 200, resp = 1200;
    const pk: [boolean, number, number, number, number][] = [
      [true, cisn, 0, SYN, 0], [false, sisn, cisn + 1, SYN | ACK, 0], [true, cisn + 1, sisn + 1, ACK, 0],
      [true, cisn + 1, sisn + 1, PSH | ACK, req], [false, sisn + 1, cisn + 1 + req, PSH | ACK, resp],
      [true, cisn + 1 + req, sisn + 1 + resp, FIN | ACK, 0], [false, sisn + 1 + resp, cisn + 2 + req, FIN | ACK, 0], [true, cisn + 2 + req, sisn + 2 + resp, ACK, 0],
    ];
    for (const [fromClient, seq, ack, flags, len] of pk) {
      const f = fromClient ? frame(client, svc, sport, 80, seq, ack, flags, len) : frame(svc, client, 80, sport, seq, ack, flags, len);
      const r = pcapRecord(t, f, f.length);
      put(r);
      bytes += r.length;
      t += 50;
      packets++;
    }
    t += 200;
    conns++;
  }
  flush();
  closeSync(fd);
  return { connections: conns, packets };
}

if (process.argv[1]?.endsWith('synthetic-capture.js')) {
  const [out, mb, seed] = process.argv.slice(2);
  if (!out || !mb) { process.stderr.write('usage: node dist/synthetic-capture.js OUT.pcap MB [seed]\n'); process.exit(2); }
  process.stdout.write(JSON.stringify(writeSyntheticCapture(out, Number(mb), Number(seed ?? 1))) + '\n');
}
