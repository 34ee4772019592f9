import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { iterateFlows } from '../../core/api/queries/flows.js';
import { openCase } from '../../core/db/open-case.js';
import { ingestPaths } from '../../core/ingest/ingest.js';
import { pcapFileHeader, pcapRecord } from '../../core/formats/pcap/writer.js';
import { tarBytes } from './archive-fixtures.js';

const samples = 'fixtures/samples/captures/tcpdump';
const tmp = () => mkdtempSync(join(tmpdir(), 'podcap-ingest-'));
const flowsOf = (db: ReturnType<typeof openCase>) => [...iterateFlows(db)].map(({ id: _i, source: _s, nat_peer: _n, seen_at: _a, ...f }) => f);

describe('ingest', () => {
  it('ingests a capture, reports garbage as unknown, and keeps going', async () => {
    const d = tmp();
    writeFileSync(join(d, 'garbage.bin'), Buffer.from([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8]));
    const db = openCase(join(d, 'c.db'));
    const res = await ingestPaths(db, [join(d, 'garbage.bin'), join(samples, 'dns_tcp.pcap')]);
    expect(res.map((r) => [r.status, r.direct])).toEqual([['unknown', true], ['ingested', true]]);
    expect(res[0].reason).toMatch(/not a capture/);
    const flows = flowsOf(db);
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({ proto: 'tcp', orig_ip: '192.168.1.11', orig_port: 33779, resp_ip: '209.87.249.18', resp_port: 53, state: 'SF' });
  });

  it('re-ingesting the same bytes is a no-op', async () => {
    const d = tmp();
    const db = openCase(join(d, 'c.db'));
    await ingestPaths(db, [join(samples, 'dns_tcp.pcap')]);
    copyFileSync(join(samples, 'dns_tcp.pcap'), join(d, 'renamed.pcap'));
    const again = await ingestPaths(db, [join(d, 'renamed.pcap')]);
    expect(again[0].status).toBe('duplicate');
    expect((db.prepare('SELECT count(*) n FROM sources').get() as { n: number }).n).toBe(1);
    expect((db.prepare('SELECT count(*) n FROM flows').get() as { n: number }).n).toBe(1);
  });

  it('same bytes in two node folders: node-local dumps count for each node, captures and cluster listings once', async () => {
    const d = tmp();
    const kubectl = 'fixtures/samples/node-tools/kubectl/inquisitivefrog_kubectl_get_endpoints_kube-dns.txt';
    const save = 'fixtures/lab/bundles/rst-mix/aks-nodepool1-38164255-vmss000002/iptables-save.txt';
    for (const node of ['node-a', 'node-b']) {
      mkdirSync(join(d, 'bundle', node), { recursive: true });
      copyFileSync(join(samples, 'dns_tcp.pcap'), join(d, 'bundle', node, 'any.pcap'));
      copyFileSync(kubectl, join(d, 'bundle', node, 'endpoints.txt'));
      copyFileSync(save, join(d, 'bundle', node, 'iptables-save.txt'));
    }
    const db = openCase(join(d, 'c.db'));
    const res = await ingestPaths(db, [join(d, 'bundle')]);
    const status = (name: string) => res.filter((r) => r.path.endsWith(name)).map((r) => r.status);
    expect(status('any.pcap')).toEqual(['ingested', 'duplicate']);
    expect(status('endpoints.txt')).toEqual(['ingested', 'duplicate']);
    expect(status('iptables-save.txt')).toEqual(['ingested', 'ingested']);
    const saves = db.prepare("SELECT folder, records FROM sources WHERE kind = 'iptables' ORDER BY folder").all() as { folder: string; records: number }[];
    expect(saves.map((s) => s.folder)).toEqual(['node-a', 'node-b']);
    expect(saves[0].records).toBeGreaterThan(0);
    expect(saves[1].records).toBe(saves[0].records);
    const again = await ingestPaths(db, [join(d, 'bundle')]);
    expect(again.every((r) => r.status === 'duplicate')).toBe(true);
    expect((db.prepare('SELECT count(*) n FROM sources').get() as { n: number }).n).toBe(4);
  });

  it('keeps every packet before a truncated last record and reports the offset', async () => {
    const d = tmp();
    const whole = readFileSync(join(samples, 'dns_tcp.pcap'));
    writeFileSync(join(d, 'cut.pcap'), whole.subarray(0, whole.length - 10));
    const db = openCase(join(d, 'c.db'));
    const [r] = await ingestPaths(db, [join(d, 'cut.pcap')]);
    expect(r.status).toBe('ingested');
    expect(r.records).toBe(10);
    const diags = db.prepare("SELECT * FROM diagnostics WHERE severity = 'dataLoss'").all() as { code: string; offset: number; path: string }[];
    expect(diags).toHaveLength(1);
    expect(diags[0].code).toBe('CAPTURE_TRUNCATED_RECORD');
    expect(diags[0].path).toBe(join(d, 'cut.pcap'));
    expect(diags[0].offset).toBeGreaterThan(24);
    expect(diags[0].offset).toBeLessThan(whole.length);
  });

  it('reads gzip-compressed captures to the same connections', async () => {
    const d = tmp();
    writeFileSync(join(d, 'x.pcap.gz'), gzipSync(readFileSync(join(samples, 'dns_tcp.pcap'))));
    const a = openCase(join(d, 'a.db'));
    const b = openCase(join(d, 'b.db'));
    await ingestPaths(a, [join(samples, 'dns_tcp.pcap')]);
    const [r] = await ingestPaths(b, [join(d, 'x.pcap.gz')]);
    expect(r.status).toBe('ingested');
    expect(flowsOf(b)).toEqual(flowsOf(a));
  });

  it('reads a gzipped capture of several MiB (incompressible payloads) and every input after it', async () => {
    // Before: the sniff read one decompressed chunk and left the feeder waiting for a 'drain'
    // that never came; the process ended with Node's exit 13 and nothing after it was read.
    const d = tmp();
    const big = join(d, 'big.pcap');
    writeFileSync(big, randomPayloadCapture(2500, 1400));
    writeFileSync(join(d, 'big.pcap.gz'), gzipSync(readFileSync(big)));
    expect(readFileSync(join(d, 'big.pcap.gz')).length).toBeGreaterThan(3 << 20);
    const plain = openCase(join(d, 'plain.db'));
    await ingestPaths(plain, [big]);
    const zipped = openCase(join(d, 'gz.db'));
    const res = await ingestPaths(zipped, [join(d, 'big.pcap.gz'), join(samples, 'dns_tcp.pcap')]);
    expect(res.map((r) => [r.status, r.records > 0])).toEqual([['ingested', true], ['ingested', true]]);
    expect(res[0].records).toBe(2500);
    expect(flowsOf(zipped).filter((f) => f.resp_port === 8080)).toEqual(flowsOf(plain));
  });

  it('a gzipped capture of several MiB inside a .tar.gz bundle goes through the same gzip path, whole', async () => {
    const d = tmp();
    const cap = randomPayloadCapture(2500, 1400);
    const bundle = gzipSync(tarBytes([{ path: 'node-a/rotated.pcap.gz', data: gzipSync(cap) }, { path: 'node-a/dns.pcap', data: readFileSync(join(samples, 'dns_tcp.pcap')) }]));
    writeFileSync(join(d, 'bundle.tar.gz'), bundle);
    const db = openCase(join(d, 'c.db'));
    const res = await ingestPaths(db, [join(d, 'bundle.tar.gz')]);
    expect(res.map((r) => [r.path.split('!/')[1], r.status, r.records])).toEqual([['node-a/rotated.pcap.gz', 'ingested', 2500], ['node-a/dns.pcap', 'ingested', 11]]);
  });

  it('a damaged gzip keeps the packets before the damage', async () => {
    const d = tmp();
    const gz = gzipSync(readFileSync(join(samples, 'dns_tcp.pcap')));
    writeFileSync(join(d, 'x.pcap.gz'), gz.subarray(0, Math.floor(gz.length * 0.7)));
    const db = openCase(join(d, 'c.db'));
    const [r] = await ingestPaths(db, [join(d, 'x.pcap.gz')]);
    expect(r.status).toBe('ingested');
    const codes = (db.prepare('SELECT code FROM diagnostics').all() as { code: string }[]).map((x) => x.code);
    expect(codes).toContain('CAPTURE_GZIP_ERROR');
  });

  it('an aborted ingest rolls its source back and leaves the case as it was', async () => {
    const d = tmp();
    const db = openCase(join(d, 'c.db'));
    await ingestPaths(db, [join(samples, 'dns_tcp.pcap')]);
    const ac = new AbortController();
    let sawParse = false;
    // Abort from inside the parse phase, after the source row and some flows were written.
    const onProgress = (p: { phase: string }) => { if (p.phase === 'parse') { sawParse = true; ac.abort(); } };
    await expect(ingestPaths(db, [join(samples, 'geneve.pcap')], { signal: ac.signal, onProgress })).rejects.toThrow();
    expect(sawParse).toBe(true);
    expect((db.prepare('SELECT count(*) n FROM sources').get() as { n: number }).n).toBe(1);
    expect(flowsOf(db)).toHaveLength(1);
    expect(db.inTransaction).toBe(false);
  });
});

/** A classic pcap (LINKTYPE_RAW) of `n` IPv4/TCP segments with random payloads, over 10 connections. */
function randomPayloadCapture(n: number, payload: number): Buffer {
  const parts: Uint8Array[] = [pcapFileHeader(101, 65535)];
  for (let i = 0; i < n; i++) {
    const conn = i % 10;
    const ip = Buffer.alloc(40 + payload);
    ip[0] = 0x45;
    ip.writeUInt16BE(ip.length, 2);
    ip[8] = 64;
    ip[9] = 6;
    Buffer.from([10, 0, 0, 1]).copy(ip, 12);
    Buffer.from([10, 0, 0, 2]).copy(ip, 16);
    ip.writeUInt16BE(40000 + conn, 20);
    ip.writeUInt16BE(8080, 22);
    ip.writeUInt32BE((1000 + Math.floor(i / 10) * payload) >>> 0, 24);
    ip[32] = 0x50;
    ip[33] = 0x18; // PSH ACK: mid-stream data, no handshake
    ip.writeUInt16BE(65535, 34);
    randomFillSync(ip, 40);
    parts.push(pcapRecord(1_700_000_000_000_000 + i * 1000, ip, ip.length));
  }
  return Buffer.concat(parts);
}
