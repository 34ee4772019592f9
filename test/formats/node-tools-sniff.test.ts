import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEXT_FORMATS, detectTextFormat, MIN_CONFIDENCE } from '../../core/formats/registry.js';
import { HAND, LAB, SAMPLES } from './node-tools-fixtures.js';

const MINE = new Set(['crictl', 'lsns', 'pstree', 'iplink', 'kubectl', 'iptables', 'ipvs', 'ufw', 'nft', 'iproute', 'ss-summary']);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** The kind each of our files must be detected as; undefined = must stay unknown. */
function expectedKind(path: string): string | undefined {
  const rel = relative(join(SAMPLES, '..'), path);
  const name = basename(path);
  if (path.startsWith(HAND)) {
    const top = relative(HAND, path).split('/')[0];
    return { crictl: 'crictl', docker: 'crictl', kubectl: 'kubectl', ipvs: 'ipvs' }[top!];
  }
  if (/node-tools\/iproute-ss-ipvs\//.test(path)) {
    if (/^ip_/.test(name)) return 'iproute';
    if (/^ss_-s/.test(name)) return 'ss-summary';
    if (/^ipvsadm/.test(name)) return 'ipvs';
    return undefined;
  }
  if (/node-tools\/nft-kubelet\//.test(path)) return 'nft';
  if (/node-tools\/(hubble-lab|cilium-nat-synth)\//.test(path)) return /^kubectl-/.test(name) ? 'kubectl' : /^cilium_/.test(name) ? 'cilium-bpf' : undefined;
  const mine13 = /node-tools\/(inspektor-gadget|hubble)\/|node-tools\/lab\/(variants|proc-net)\//.exec(path);
  if (mine13) {
    if (/inspektor-gadget\//.test(path)) return 'inspektor-gadget';
    if (/hubble\//.test(path)) return 'hubble';
    if (/proc-net\/proc_net_/.test(path)) return 'proc-net';
    if (/^ss_/.test(name)) return 'netstat';
    if (/^(iptables|kube-proxy)/.test(name)) return 'iptables';
    if (/^nft_/.test(name)) return 'nft';
    return undefined;
  }
  if (path.startsWith(LAB)) {
    if (/^lsns/.test(name)) return 'lsns';
    if (/^pstree/.test(name)) return 'pstree';
    if (/^(node|pod-a)_ip/.test(name) || name === 'iflink') return 'iplink';
    if (/^ip6?tables|^kube-rules\./.test(name)) return 'iptables';
    if (/^ufw/.test(name)) return 'ufw';
    if (/^nft_/.test(name)) return 'nft';
    return undefined;
  }
  if (/node-tools\/kubectl\//.test(path)) return 'kubectl';
  const bySample: Record<string, string | undefined> = {
    'node-tools/crictl/critools-doc_crictl_pods.txt': 'crictl',
    'node-tools/crictl/critools-doc_crictl_ps_-a_created.txt': 'crictl',
    'node-tools/crictl/critools-doc_crictl_ps_with_podid.txt': 'crictl',
    'node-tools/crictl/critools-doc_crictl.md': undefined,
    'node-tools/aks-snat-runbook/03_lsns_-t_net.txt': 'lsns',
    'node-tools/aks-snat-runbook/04_pstree_-aps_19832.txt': 'pstree',
    'node-tools/aks-snat-runbook/05_crictl_ps_-a.txt': 'crictl',
    'node-tools/netns-iplink/docker_container_ip_addr_two_if__id29021193144.txt': 'iplink',
    'node-tools/netns-iplink/veth_pair_netns_ip_link_list__id42333524964.txt': 'iplink',
  };
  return bySample[rel];
}

const isOurs = (p: string) =>
  p.startsWith(HAND) || p.startsWith(LAB) || /node-tools\/iproute-ss-ipvs\//.test(p) || /node-tools\/(inspektor-gadget|hubble)\/|node-tools\/lab\/(variants|proc-net)\//.test(p) || /node-tools\/(crictl|netns-iplink|kubectl|hubble-lab|cilium-nat-synth|nft-kubelet)\/|aks-snat-runbook\/0[345]_/.test(p);
const isInput = (p: string) => /\.(mjs|c|sh)$/.test(p) || basename(p) === 'README.md';

const files = [...walk(SAMPLES), ...walk(join(LAB, '../..'))].filter((p) => !isInput(p)).sort();
const ours = files.filter(isOurs);
const others = files.filter((p) => !isOurs(p));

describe('node-tool sniffing discriminates (every sample and fixture)', () => {
  it('covers our files', () => {
    expect(ours.length).toBeGreaterThan(60);
    expect(others.length).toBeGreaterThan(40);
  });

  it.each(ours.map((p) => [relative(join(SAMPLES, '../..'), p), p]))('%s', (_rel, path) => {
    const head = readFileSync(path, 'utf8').slice(0, 65536);
    const want = expectedKind(path);
    const scores = TEXT_FORMATS.map((f) => ({ kind: f.kind, c: f.sniff(head, basename(path)) }));
    const high = scores.filter((s) => s.c >= MIN_CONFIDENCE).map((s) => s.kind);
    expect(high).toEqual(want ? [want] : []);
    expect(detectTextFormat(head, basename(path))?.format.kind).toBe(want);
    for (const s of scores) expect(s.c >= 0 && s.c <= 1).toBe(true);
  });

  it('no format of ours claims another tool\'s sample or fixture', () => {
    const claims: string[] = [];
    for (const path of others) {
      const head = readFileSync(path, 'utf8').slice(0, 65536);
      for (const f of TEXT_FORMATS) {
        if (MINE.has(f.kind) && f.sniff(head, basename(path)) >= MIN_CONFIDENCE) claims.push(`${f.kind}: ${path}`);
      }
    }
    expect(claims).toEqual([]);
  });

  it('the cri-tools markdown doc stays unknown, with crictl as its (low) runner-up', () => {
    const path = join(SAMPLES, 'crictl/critools-doc_crictl.md');
    const head = readFileSync(path, 'utf8').slice(0, 65536);
    expect(detectTextFormat(head, 'critools-doc_crictl.md')).toBeUndefined();
    const crictl = TEXT_FORMATS.find((f) => f.kind === 'crictl')!;
    expect(crictl.sniff(head, 'critools-doc_crictl.md')).toBe(0.3);
  });
});
