import { describe, expect, it } from 'vitest';
import { connKey, flowLabel, recordKey } from '../../core/flows/conn-key.js';
import { ConnTable, tupleHash } from '../../core/flows/conn-table.js';
import { Conn } from '../../core/flows/conn.js';

describe('connKey / flowLabel', () => {
  it('is the same for both directions and differs by protocol and port', () => {
    expect(connKey('tcp', '10.0.0.1', 1, '10.0.0.2', 2)).toBe(connKey('tcp', '10.0.0.2', 2, '10.0.0.1', 1));
    expect(connKey('tcp', '10.0.0.1', 1, '10.0.0.2', 2)).not.toBe(connKey('udp', '10.0.0.1', 1, '10.0.0.2', 2));
    expect(connKey('tcp', '10.0.0.1', 1, '10.0.0.2', 2)).not.toBe(connKey('tcp', '10.0.0.1', 2, '10.0.0.2', 1));
  });

  it('labels the tuple as the originator saw it; ICMP records have no key', () => {
    expect(flowLabel({ proto: 'tcp', origIp: 'fd00::1', origPort: 5, respIp: '10.0.0.2', respPort: 80 })).toBe('tcp [fd00::1]:5 > 10.0.0.2:80');
    expect(recordKey({ proto: 'icmp', origIp: 'a', origPort: 8, respIp: 'b', respPort: 0 })).toBeNull();
  });
});

describe('ConnTable', () => {
  const mk = (kind: number, a: string, ap: number, b: string, bp: number) => new Conn(0, kind, 1, a, ap, b, bp, 0, 1);

  it('finds a connection from either direction, except one-way ICMP kinds', () => {
    const t = new ConnTable();
    const c = mk(0, '10.0.0.1', 1000, '10.0.0.2', 80);
    t.insert(c);
    expect(t.find(0, '10.0.0.2', 80, '10.0.0.1', 1000)).toBe(c);
    expect(t.find(1, '10.0.0.2', 80, '10.0.0.1', 1000)).toBeUndefined();
    const one = mk(4, '10.0.0.9', 3, '10.0.0.1', 3);
    t.insert(one);
    expect(t.find(4, '10.0.0.9', 3, '10.0.0.1', 3)).toBe(one);
    expect(t.find(4, '10.0.0.1', 3, '10.0.0.9', 3)).toBeUndefined();
    expect(tupleHash(0, 'a', 1, 'b', 2)).toBe(tupleHash(0, 'b', 2, 'a', 1));
  });

  it('keeps colliding entries apart and removes from the head or the middle of a chain', () => {
    // Find tuples whose hashes collide (deterministic: the hash depends only on the text).
    const seen = new Map<number, number>();
    const tuple = (i: number) => [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 1000 + (i % 50000)] as const;
    const pair: number[] = [];
    for (let i = 0; i < 400_000 && pair.length === 0; i++) {
      const [ip, port] = tuple(i);
      const h = tupleHash(0, ip, port, '10.96.0.1', 443);
      const j = seen.get(h);
      if (j !== undefined) pair.push(j, i);
      else seen.set(h, i);
    }
    expect(pair).toHaveLength(2);
    const [a, b] = pair.map((i) => { const [ip, port] = tuple(i); return mk(0, ip, port, '10.96.0.1', 443); });
    const other = mk(0, '10.200.0.1', 1, '10.96.0.1', 443);
    const t = new ConnTable();
    t.insert(a);
    t.insert(other);
    t.insert(b);
    expect(t.find(0, a.respIp, 443, a.origIp, a.origPort)).toBe(a);
    expect(t.find(0, b.origIp, b.origPort, b.respIp, 443)).toBe(b);
    t.remove(a); // not the chain head (b was inserted last)
    expect(t.find(0, a.origIp, a.origPort, a.respIp, 443)).toBeUndefined();
    expect(t.find(0, b.origIp, b.origPort, b.respIp, 443)).toBe(b);
    t.remove(b);
    expect(t.find(0, b.origIp, b.origPort, b.respIp, 443)).toBeUndefined();
    expect(t.size).toBe(1);
    let n = 0;
    t.forEach((c) => { n++; expect(c).toBe(other); });
    expect(n).toBe(1);
  });
});
