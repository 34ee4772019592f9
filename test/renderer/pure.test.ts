import { describe, expect, it } from 'vitest';
import { csvCell, fileStem, toCsv, toJsonLines } from '../../renderer/export/csv.js';
import { parseTimeUs } from '../../renderer/app/format.js';
import { MAX_SCROLL_PX, pagesFor, rowWindow } from '../../renderer/views/flows/virtual-rows.js';

describe('CSV export', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas from hostile strings', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });
  it('writes a header and one line per row', () => {
    const rows = [{ ip: '10.0.0.1', n: 3 }, { ip: '<img src=x onerror=alert(1)>', n: 1 }];
    const csv = toCsv(rows, [{ key: 'ip', title: 'IP', get: (r) => r.ip }, { key: 'n', title: 'Count', get: (r) => r.n }]);
    expect(csv).toBe('IP,Count\r\n10.0.0.1,3\r\n<img src=x onerror=alert(1)>,1\r\n');
    expect(toJsonLines(rows).split('\n').filter(Boolean).map((l) => JSON.parse(l))).toEqual(rows);
    expect(fileStem('RSTs by sender (from the loaded events)')).toBe('rsts-by-sender-from-the-loaded-events');
  });
});

describe('time input', () => {
  it('reads UTC times to the microsecond', () => {
    expect(parseTimeUs('2024-05-01 10:00:00')).toBe(Date.UTC(2024, 4, 1, 10) * 1000);
    expect(parseTimeUs('2024-05-01T10:00:00.000123Z')).toBe(Date.UTC(2024, 4, 1, 10) * 1000 + 123);
    expect(parseTimeUs('2024-05-01 10:00')).toBe(Date.UTC(2024, 4, 1, 10) * 1000);
    expect(parseTimeUs('yesterday')).toBeNull();
    expect(parseTimeUs('2024-13-01 10:00:00')).toBeNull();
  });
});

describe('virtualized rows', () => {
  it('maps scroll to rows exactly for small tables', () => {
    const w = rowWindow(1000, 26, 520, 26 * 100);
    expect(w.innerHeight).toBe(26_000);
    expect(w.first).toBe(100);
    expect(w.top).toBe(2600);
    expect(w.count).toBe(21);
  });
  it('reaches the last row of a million-row table within the browser height limit', () => {
    const total = 1_000_000;
    const top = rowWindow(total, 26, 520, 0);
    expect(top.first).toBe(0);
    expect(top.innerHeight).toBe(MAX_SCROLL_PX);
    const bottom = rowWindow(total, 26, 520, MAX_SCROLL_PX - 520);
    expect(bottom.first + bottom.count).toBeGreaterThanOrEqual(total);
    expect(bottom.first + bottom.count).toBeLessThanOrEqual(total);
    const mid = rowWindow(total, 26, 520, (MAX_SCROLL_PX - 520) / 2);
    expect(Math.abs(mid.first - total / 2)).toBeLessThan(20);
    expect(mid.top).toBeGreaterThanOrEqual(0);
  });
  it('handles empty and tiny tables', () => {
    expect(rowWindow(0, 26, 520, 0).count).toBe(0);
    const tiny = rowWindow(3, 26, 520, 0);
    expect([tiny.first, tiny.count]).toEqual([0, 3]);
  });
  it('lists the pages a window needs', () => {
    expect(pagesFor(0, 21, 200)).toEqual([0]);
    expect(pagesFor(190, 21, 200)).toEqual([0, 1]);
    expect(pagesFor(999_990, 10, 200)).toEqual([4999]);
    expect(pagesFor(0, 0, 200)).toEqual([]);
  });
});

describe('readable labels and cells', () => {
  it('clips labels without making two of them read the same', async () => {
    const { distinctClips } = await import('../../renderer/charts/labels.js');
    const nodes = ['aks-nodepool1-38164255-vmss000001', 'aks-nodepool1-38164255-vmss000002', 'short'];
    const clipped = distinctClips(nodes, 20);
    expect(new Set(clipped).size).toBe(3);
    expect(clipped.every((c) => c.length <= 20)).toBe(true);
    expect(clipped[0].endsWith('000001')).toBe(true);
    expect(clipped[2]).toBe('short');
    // Labels that differ before the cut keep the plain end clip.
    expect(distinctClips(['payments/api-7c9b8d6f5-h4j2k', 'payments/ledger-5f7d8c9b6-x'], 18)).toEqual(['payments/api-7c9b…', 'payments/ledger-5…']);
  });
  it('writes IPv6 endpoints in brackets', async () => {
    const { fmtEndpoint } = await import('../../renderer/app/format.js');
    expect(fmtEndpoint('fe80::1c2b:6879', 143)).toBe('[fe80::1c2b:6879]:143');
    expect(fmtEndpoint('10.244.1.21', 54)).toBe('10.244.1.21:54');
  });
  it('names each capture file of a RST once, by its name, with its interfaces', async () => {
    const { seenAtShort } = await import('../../renderer/views/rst/seen-at.js');
    expect(seenAtShort([
      { source: 'fixtures/lab/bundles/rst-mix.tar.gz!/rst-mix/aks-node/tcpdump-any.pcap', interface: 'eth0' },
      { source: 'fixtures/lab/bundles/rst-mix.tar.gz!/rst-mix/aks-node/tcpdump-any.pcap', interface: 'cali0ba5b84d8aa' },
      { source: 'fixtures/lab/bundles/rst-mix.tar.gz!/rst-mix/aks-node/veth-api.pcap', interface: null },
    ])).toBe('tcpdump-any.pcap (eth0, cali0ba5b84d8aa) · veth-api.pcap');
  });
});

describe('flow ends', () => {
  it('shows ICMP type and code as such, not as a port glued to the address', async () => {
    const { flowEnd } = await import('../../renderer/views/flows/flow-end.js');
    const icmp = { proto: 'icmp', orig_ip: 'fe80::c37:2dff:fed8:6879', orig_port: 143, resp_ip: 'ff02::16', resp_port: 0 };
    expect(flowEnd(icmp, 'orig')).toBe('fe80::c37:2dff:fed8:6879 (type 143)');
    expect(flowEnd(icmp, 'resp')).toBe('ff02::16 (code 0)');
    expect(flowEnd({ ...icmp, proto: 'tcp' }, 'orig')).toBe('[fe80::c37:2dff:fed8:6879]:143');
  });
});
