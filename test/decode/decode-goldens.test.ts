import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../core/decode/decode.js';
import { L4, newPacket } from '../../core/decode/packet.js';
import type { CaptureReader } from '../../core/formats/capture-reader.js';
import { PcapReader } from '../../core/formats/pcap/reader.js';
import { PcapngReader } from '../../core/formats/pcapng/reader.js';
import { sniffPcapng } from '../../core/formats/pcapng/sniff.js';

/**
 * Decodes the real tcpdump test captures and compares every packet with tshark's view
 * (fixtures/goldens/make-goldens.sh recorded it).
 */
const samples = 'fixtures/samples/captures/tcpdump';
const goldens = 'fixtures/goldens/tcpdump-samples';

interface Row { [k: string]: string }

function readTsv(path: string): Row[] {
  const [head, ...lines] = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  const cols = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}

function decodeFile(path: string) {
  const bytes = readFileSync(path);
  const reader: CaptureReader = sniffPcapng(bytes) ? new PcapngReader(path) : new PcapReader(path);
  reader.push(bytes);
  reader.end();
  const out: Record<string, string>[] = [];
  const p = newPacket();
  for (let f = reader.next(); f; f = reader.next()) {
    decodeFrame(f.buf, f.dataOffset, f.capLen, f.linkType, p);
    const v4 = p.ipVersion === 4;
    const v6 = p.ipVersion === 6;
    out.push({
      'frame.len': String(f.origLen),
      'frame.cap_len': String(f.capLen),
      'ip.src': v4 ? p.src : '', 'ip.dst': v4 ? p.dst : '',
      'ipv6.src': v6 ? p.src : '', 'ipv6.dst': v6 ? p.dst : '',
      ttl: p.ipVersion ? String(p.ttl) : '',
      'tcp.srcport': p.l4 === L4.TCP ? String(p.sport) : '', 'tcp.dstport': p.l4 === L4.TCP ? String(p.dport) : '',
      'tcp.flags': p.l4 === L4.TCP ? '0x' + p.tcpFlags.toString(16).padStart(3, '0') : '',
      'tcp.seq_raw': p.l4 === L4.TCP ? String(p.seq) : '', 'tcp.ack_raw': p.l4 === L4.TCP ? String(p.ack) : '',
      'tcp.len': p.l4 === L4.TCP && !p.truncated ? String(p.payloadLen) : '',
      'udp.srcport': p.l4 === L4.UDP ? String(p.sport) : '', 'udp.dstport': p.l4 === L4.UDP ? String(p.dport) : '',
      'icmp.type': p.l4 === L4.ICMP ? String(p.icmpType) : '', 'icmpv6.type': p.l4 === L4.ICMPv6 ? String(p.icmpType) : '',
      tunnel: p.tunnel ? p.tunnel.kind : '',
    });
  }
  return { frames: out, diagnostics: reader.diagnostics };
}

describe('decoder against tshark on the real tcpdump samples', () => {
  const names = readdirSync(samples).filter((f) => /\.pcap(ng)?$/.test(f) && existsSync(join(goldens, f + '.tsv')));
  it('covers the samples', () => expect(names.length).toBeGreaterThanOrEqual(15));
  for (const name of names) {
    it(name, () => {
      const golden = readTsv(join(goldens, name + '.tsv'));
      const { frames } = decodeFile(join(samples, name));
      expect(frames.length).toBe(golden.length);
      golden.forEach((g, i) => {
        const ours = frames[i];
        const ctx = `${name} frame ${i + 1}`;
        expect(ours['frame.len'], ctx).toBe(g['frame.len']);
        expect(ours['frame.cap_len'], ctx).toBe(g['frame.cap_len']);
        for (const k of ['ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst']) if (g[k]) expect(ours[k], `${ctx} ${k}`).toBe(g[k]);
        const ttl = g['ip.ttl'] || g['ipv6.hlim'];
        if (ttl && (ours['ip.src'] || ours['ipv6.src'])) expect(ours.ttl, `${ctx} ttl`).toBe(ttl);
        if (g['tcp.srcport']) {
          for (const k of ['tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw']) expect(ours[k], `${ctx} ${k}`).toBe(g[k]);
          expect(parseInt(ours['tcp.flags'], 16) & 0xff, `${ctx} flags`).toBe(parseInt(g['tcp.flags'], 16) & 0xff);
          if (ours['tcp.len']) expect(ours['tcp.len'], `${ctx} tcp.len`).toBe(g['tcp.len']);
        }
        if (g['udp.srcport'] && ours['udp.srcport']) {
          expect(ours['udp.srcport'], ctx).toBe(g['udp.srcport']);
          expect(ours['udp.dstport'], ctx).toBe(g['udp.dstport']);
        }
        if (g['icmp.type']) expect(ours['icmp.type'], `${ctx} icmp`).toBe(g['icmp.type']);
      });
    });
  }

  it('decodes VXLAN on 4789 and 8472 and Geneve to their inner packets', () => {
    for (const [name, kind] of [['vxlan.pcap', 'vxlan'], ['vxlan_port_8472.pcap', 'vxlan'], ['geneve.pcap', 'geneve']] as const) {
      const { frames } = decodeFile(join(samples, name));
      expect(frames.filter((f) => f.tunnel === kind).length, name).toBeGreaterThan(0);
    }
  });
});
