import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrame, DecodeStatus } from '../../core/decode/decode.js';
import { newPacket } from '../../core/decode/packet.js';
import { PcapReader } from '../../core/formats/pcap/reader.js';
import { ConnTracker } from '../../core/flows/tracker.js';
import type { ConnRecord } from '../../core/flows/types.js';

/**
 * The Zeek-rule lab (fixtures/captures/zeek-lab/make-zeek-lab.sh): mid-stream pickups on likely and
 * unlikely server ports, 5-tuples that go on after a RST or FIN, SYN-ACK-first connections and
 * MPLS-labelled frames. Each expect.json holds the conn_state and history Zeek's rules give every
 * connection, worked out by hand with the frame-by-frame reasoning; the tracker must produce exactly
 * those records, in order on a reused tuple, and nothing else.
 */
const dir = 'fixtures/captures/zeek-lab';

interface Want {
  proto: string; orig_ip: string; orig_port: number; resp_ip: string; resp_port: number;
  state: string; history: string; seq?: number;
}
interface Expect { file: string; connections: Want[] }

function track(path: string): { conns: ConnRecord[]; undecoded: number } {
  const reader = new PcapReader(path);
  reader.push(new Uint8Array(readFileSync(path)));
  reader.end();
  const conns: ConnRecord[] = [];
  const tracker = new ConnTracker({ sourceId: 1, onConn: (c) => conns.push(c), onRst: () => {} });
  const p = newPacket();
  let undecoded = 0;
  for (let f = reader.next(); f !== undefined; f = reader.next()) {
    if (decodeFrame(f.buf, f.dataOffset, f.capLen, f.linkType, p) !== DecodeStatus.Ok) { undecoded++; continue; }
    p.tsUs = f.tsUs;
    p.iface = f.iface;
    tracker.push(p);
  }
  tracker.flush();
  conns.sort((a, b) => a.startUs - b.startUs);
  return { conns, undecoded };
}

const key = (proto: string, oip: string, op: number, rip: string, rp: number) => `${proto} ${oip}:${op} > ${rip}:${rp}`;
const cases = readdirSync(dir).filter((f) => f.endsWith('.expect.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Expect);

describe('Zeek-rule lab captures', () => {
  it('cover mid-stream, after-RST/FIN, SYN-ACK-first and MPLS', () => {
    expect(cases.map((c) => c.file).sort()).toEqual(['after-close.pcap', 'after-fin.pcap', 'midstream-ports.pcap', 'mpls.pcap', 'synack-first.pcap']);
    const states = new Set(cases.flatMap((c) => c.connections.map((x) => x.state)));
    for (const s of ['SF', 'OTH', 'REJ', 'RSTO', 'RSTR', 'RSTRH', 'S0']) expect(states, s).toContain(s);
  });

  for (const c of cases) {
    it(`${c.file}: ${c.connections.map((x) => `${x.state}/${x.history || '-'}`).join(' ')}`, () => {
      const { conns, undecoded } = track(join(dir, c.file));
      expect(undecoded, 'frames that did not decode').toBe(0);
      const got = new Map<string, string[]>();
      for (const r of conns) {
        const k = key(r.proto, r.origIp, r.origPort, r.respIp, r.respPort);
        got.set(k, [...(got.get(k) ?? []), `${r.state}/${r.proto === 'icmp' ? '' : r.history}`]);
      }
      const want = new Map<string, string[]>();
      for (const w of [...c.connections].sort((a, b) => (a.seq ?? 1) - (b.seq ?? 1))) {
        const k = key(w.proto, w.orig_ip, w.orig_port, w.resp_ip, w.resp_port);
        want.set(k, [...(want.get(k) ?? []), `${w.state}/${w.history}`]);
      }
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
    });
  }
});
