import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hubbleFormat } from '../../core/formats/hubble/index.js';
import { hubbleConns, tcpState } from '../../core/ingest/hubble-conns.js';

const set = (s: string) => new Set(s.split('').filter(Boolean));

describe('Hubble events → connections', () => {
  it('Zeek conn_state from the flags each side sent (the letters of Zeek\'s history)', () => {
    const cases: [string, string, boolean, string][] = [
      ['S', '', false, 'S0'], ['S', 'R', false, 'REJ'], ['SR', '', false, 'RSTOS0'], ['SA', 'H', false, 'S1'],
      ['SAF', 'HF', false, 'SF'], ['SAF', 'H', false, 'S2'], ['SA', 'HF', false, 'S3'], ['SAR', 'H', false, 'RSTO'], ['SA', 'HR', false, 'RSTR'],
      ['SF', '', false, 'SH'], ['', 'HR', false, 'RSTRH'], ['', 'HF', false, 'SHR'], ['D', 'D', true, 'OTH'], ['D', 'DR', true, 'RSTR'],
    ];
    for (const [o, r, guessed, want] of cases) expect(tcpState(set(o), set(r), guessed), `${o}/${r}`).toBe(want);
  });

  it('the real table dump: one packet seen at two points is counted once; a reused tuple after a close is a new connection', () => {
    const text = readFileSync('fixtures/node-tools/hubble/hubble_observe_table_relay_rst_fin.txt', 'utf8');
    const flows = hubbleFormat.parse(text, { source: 'x', baseTimeUs: Date.UTC(2020, 11, 20) * 1000 }).records;
    const relay = (p: string) => (p === 'kube-system/hubble-relay-544876fc89-4flb9' ? '10.0.0.245' : undefined);
    // The same SYN logged again at to-stack, and the whole exchange once more after its FIN and RST.
    const again = flows.slice(2).map((f) => ({ ...f, tsUs: f.tsUs! + 1000 }));
    const later = flows.slice(2).map((f) => ({ ...f, tsUs: f.tsUs! + 60_000_000 }));
    const h = hubbleConns([...flows, { ...flows[2], event: 'to-stack', tsUs: flows[2].tsUs! + 500 }, ...later], 1, relay);
    expect(h.duplicates).toBe(1);
    expect(h.conns.map((c) => [c.origPort, c.state, c.history, c.origPkts, c.respPkts])).toEqual([
      [4245, 'RSTR', 'Dr', 1, 1], [47144, 'S2', 'ShAF', 3, 1], [47144, 'S2', 'ShAF', 3, 1],
    ]);
    expect(h.rsts).toHaveLength(1);
    // Every packet logged twice, 1 ms apart (two observation points): the same one connection.
    const twice = hubbleConns([...flows.slice(2), ...again], 1, relay);
    expect([twice.duplicates, twice.conns.map((c) => [c.state, c.origPkts, c.respPkts])]).toEqual([4, [['S2', 3, 1]]]);
  });
});
