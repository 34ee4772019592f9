import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCase } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { decodeFrame, DecodeStatus } from '../../core/decode/decode.js';
import { L4, newPacket } from '../../core/decode/packet.js';
import { LINKTYPE } from '../../core/net/linktype.js';

// fixtures/captures/zeek-lab/mpls.pcap: real kernel TCP/UDP carried as Ethernet 0x8847 frames by
// zeek-lab/mpls-relay.py; stacks 1001,2002 (zk-ma -> zk-mb) and 3003 (back). See the README there.
const file = readFileSync('fixtures/captures/zeek-lab/mpls.pcap');

function frames(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 24; o + 16 <= file.length;) {
    const capLen = file.readUInt32LE(o + 8);
    out.push(new Uint8Array(file.subarray(o + 16, o + 16 + capLen)));
    o += 16 + capLen;
  }
  return out;
}

function decode(f: Uint8Array, link: number = LINKTYPE.ETHERNET) {
  const p = newPacket();
  const st = decodeFrame(f, 0, f.length, link, p);
  return { st, p };
}

describe('MPLS-labelled frames', () => {
  const all = frames();

  it('every frame of the real capture decodes to its inner IPv4/IPv6 packet (tshark: 22 frames)', () => {
    expect(all.length).toBe(22);
    const got = all.map((f) => { const { st, p } = decode(f); return [st, p.src, p.sport, p.dst, p.dport]; });
    expect(got[0]).toEqual([DecodeStatus.Ok, '10.88.0.1', 42600, '10.88.0.2', 9600]);
    expect(got[1]).toEqual([DecodeStatus.Ok, '10.88.0.2', 9600, '10.88.0.1', 42600]);
    expect(got[10]).toEqual([DecodeStatus.Ok, 'fd00:88::1', 42601, 'fd00:88::2', 9601]);
    expect(got[20]).toEqual([DecodeStatus.Ok, '10.88.0.1', 42602, '10.88.0.2', 9602]);
    expect(got.every((g) => g[0] === DecodeStatus.Ok)).toBe(true);
  });

  it('two labels, then one: the bottom-of-stack bit ends the stack', () => {
    const two = all[0];
    expect([two[12], two[13]]).toEqual([0x88, 0x47]);
    expect(two[16] & 1).toBe(0); // 1001: not the bottom
    expect(two[20] & 1).toBe(1); // 2002: bottom
    expect(all[1][16] & 1).toBe(1); // 3003 alone
    const { p } = decode(two);
    expect([p.l4, p.tcpFlags & 0x12, p.ipVersion]).toEqual([L4.TCP, 0x02, 4]);
  });

  it('a stack that runs off the frame is malformed, at every cut inside it', () => {
    const two = all[0];
    for (const cut of [15, 17, 19, 22]) expect(decode(two.subarray(0, cut)).st, `cut ${cut}`).toBe(DecodeStatus.Malformed);
  });

  it('a label stack that never sets the S bit is malformed, not read past the frame', () => {
    const f = Uint8Array.from(all[0]);
    for (let o = 14; o + 4 <= f.length; o += 4) f[o + 2] &= 0xfe;
    expect(decode(f).st).toBe(DecodeStatus.Malformed);
  });

  it('a payload that is neither IPv4 nor IPv6 (an Ethernet pseudowire) is not IP', () => {
    const f = Uint8Array.from(all[1]);
    f[18] = 0x00; // first byte after the single label: version nibble 0
    expect(decode(f).st).toBe(DecodeStatus.NotIp);
  });

  it('0x8848 (multicast MPLS), MPLS under a VLAN tag and MPLS in a Linux cooked header decode alike', () => {
    const base = all[0];
    const mc = Uint8Array.from(base);
    mc[13] = 0x48;
    expect(decode(mc).p.dport).toBe(9600);
    const vlan = new Uint8Array(base.length + 4);
    vlan.set(base.subarray(0, 12), 0);
    vlan.set([0x81, 0x00, 0x00, 0x0a, 0x88, 0x47], 12);
    vlan.set(base.subarray(14), 18);
    expect(decode(vlan).p.dport).toBe(9600);
    const sll = new Uint8Array(base.length + 2);
    sll.set([0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x88, 0x47], 0);
    sll.set(base.subarray(14), 16);
    expect(decode(sll, LINKTYPE.LINUX_SLL).p.dport).toBe(9600);
  });

  it('a capture whose second frame has an endless label stack: that frame is a diagnostic naming the file and offset, the rest ingests', async () => {
    const bad = Buffer.from(file);
    const second = 24 + 16 + file.readUInt32LE(24 + 8);
    const capLen = bad.readUInt32LE(second + 8);
    for (let o = second + 16 + 14; o + 4 <= second + 16 + capLen; o += 4) bad[o + 2] &= 0xfe;
    const d = mkdtempSync(join(tmpdir(), 'podcap-mpls-'));
    writeFileSync(join(d, 'bad-stack.pcap'), bad);
    const db = openCase(join(d, 'c.db'));
    const [r] = await ingestPaths(db, [join(d, 'bad-stack.pcap')]);
    expect(r.status).toBe('ingested');
    const diags = db.prepare("SELECT code, path, offset, message FROM diagnostics WHERE code = 'DECODE_MALFORMED'").all() as { code: string; path: string; offset: number; message: string }[];
    expect(diags).toHaveLength(1);
    expect(diags[0].path).toBe(join(d, 'bad-stack.pcap'));
    expect(diags[0].offset).toBe(second);
    expect(diags[0].message).toMatch(/^1 packets/);
    const flows = db.prepare('SELECT proto, state FROM flows ORDER BY start_us').all() as { proto: string; state: string }[];
    expect(flows.map((f) => f.proto)).toEqual(['tcp', 'tcp', 'udp', 'icmp']);
  });
});
