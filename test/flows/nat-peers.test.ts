import { describe, expect, it } from 'vitest';
import type { Packet } from '../../core/decode/packet.js';
import { natPeers } from '../../core/flows/nat-peers.js';
import { TcpTalk } from '../helpers/packets.js';
import { run } from './run-tracker.js';

const S = 1_000_000;

/** One connection as two tuples: what the pod's veth saw, and what left eth0 after kube-proxy NAT. */
function natted(opts: { dnat: boolean; snat: boolean; t0?: number; postT0?: number; postSIsn?: number }) {
  const pre = new TcpTalk({ client: '10.244.1.5', cport: 40000, server: opts.dnat ? '10.96.0.10' : '10.244.2.7', sport: opts.dnat ? 80 : 8080, t0: opts.t0 ?? 0, cIsn: 31337, sIsn: 4242 });
  const post = new TcpTalk({ client: opts.snat ? '10.0.0.4' : '10.244.1.5', cport: opts.snat ? 61000 : 40000, server: '10.244.2.7', sport: 8080, t0: (opts.postT0 ?? opts.t0 ?? 0) + 30, cIsn: 31337, sIsn: opts.postSIsn ?? 4242 });
  post.cTtl = 63;
  const pk: Packet[] = [];
  for (const [a, b] of [[pre.c('S'), post.c('S')], [post.s('SA'), pre.s('SA')], [pre.c('A'), post.c('A')], [pre.c('PA', 10), post.c('PA', 10)]] as const) pk.push(a, b);
  return run(pk.sort((x, y) => x.tsUs - y.tsUs)).conns;
}

describe('natPeers', () => {
  it('links the halves of a DNAT+SNAT connection; pre-NAT is the higher originator TTL', () => {
    const conns = natted({ dnat: true, snat: true });
    expect(conns).toHaveLength(2);
    const pairs = natPeers(conns);
    expect(pairs).toHaveLength(1);
    expect(pairs[0].changed).toBe('both');
    expect([pairs[0].pre.respIp, pairs[0].post.origIp]).toEqual(['10.96.0.10', '10.0.0.4']);
  });

  it('names which side NAT rewrote', () => {
    expect(natPeers(natted({ dnat: false, snat: true }))[0].changed).toBe('source');
    expect(natPeers(natted({ dnat: true, snat: false }))[0].changed).toBe('destination');
  });

  it('no link without time overlap', () => {
    const now = natted({ dnat: true, snat: true });
    const later = natted({ dnat: true, snat: true, t0: 600 * S });
    const pre = now.find((c) => c.respIp === '10.96.0.10');
    const postNow = now.find((c) => c.origIp === '10.0.0.4');
    const postLater = later.find((c) => c.origIp === '10.0.0.4');
    if (!pre || !postNow || !postLater) throw new Error('halves missing');
    expect(natPeers([pre, postLater])).toHaveLength(0);
    expect(natPeers([pre, postNow])).toHaveLength(1);
  });

  it('no link when the responder ISNs differ', () => {
    expect(natPeers(natted({ dnat: true, snat: true, postSIsn: 999 }))).toHaveLength(0);
  });

  it('the same tuple twice (two capture files) is not NAT', () => {
    const conns = natted({ dnat: true, snat: true });
    expect(natPeers([conns[0], { ...conns[0], connId: 99 }])).toHaveLength(0);
  });

  it('connections without a seen SYN are not linked', () => {
    const conns = natted({ dnat: true, snat: true }).map((c) => ({ ...c, origIsn: -1 }));
    expect(natPeers(conns)).toHaveLength(0);
  });
});
