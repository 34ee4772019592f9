/**
 * Every node-tool sample and lab capture is claimed by the right text format and by no other:
 * the lead's sniffAll will pick the highest score, so two formats must never both be confident.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS, head, lab, LAB, labFiles, listFiles, sample, SAMPLES, type Kind } from './net-text-helpers.js';

/** null: none of these formats (another owner's kind, or documentation without a table of ours). */
const EXPECTED: Record<string, Kind | null> = {
  'aks-snat-runbook/01_tcptracer_-t4v.txt': 'tcptracer',
  'aks-snat-runbook/02_tcptracer_count_by_saddr_netns.txt': 'tcptracer-count',
  'aks-snat-runbook/03_lsns_-t_net.txt': null,
  'aks-snat-runbook/04_pstree_-aps_19832.txt': null,
  'aks-snat-runbook/05_crictl_ps_-a.txt': null,
  'aks-snat-runbook/06_netstat_-ptn_established.txt': 'netstat',
  'aks-snat-runbook/07_windows_netstat_-aon_established.txt': 'netstat',
  'conntrack/ctmanual_conntrack_-D.txt': 'conntrack',
  'conntrack/ctmanual_conntrack_-E.txt': 'conntrack',
  'conntrack/ctmanual_conntrack_-E_expect.txt': 'conntrack',
  'conntrack/ctmanual_conntrack_-L.txt': 'conntrack',
  'conntrack/ctmanual_conntrack_-L_-p_tcp_--dport.txt': 'conntrack',
  'conntrack/ctmanual_conntrack_-U_mark.txt': 'conntrack',
  'conntrack/firewalld-1055_conntrack_-L_secctx_partial.txt': 'conntrack',
  'conntrack/k8s-18604_dmesg_table_full.txt': 'kernlog',
  'conntrack/k8s-48370_conntrack_udp_unreplied_before_after.txt': 'conntrack',
  'conntrack/k8s-71261_dmesg_-T_table_full.txt': 'kernlog',
  'conntrack/k8s-71261_kube-proxy_log_conntrack_max.txt': 'kernlog',
  'conntrack/kube-aws-476_dmesg_double_prefix_table_full.txt': 'kernlog',
  // The trap: NuttX's conntrack shell command, not Linux conntrack-tools.
  'conntrack/nuttx-2356_conntrack_-E_-L_NOT_LINUX.txt': null,
  'conntrack/starphleet-352_syslog_table_full_wrapped.txt': 'kernlog',
  'crictl/critools-doc_crictl.md': null,
  'crictl/critools-doc_crictl_pods.txt': null,
  'crictl/critools-doc_crictl_ps_-a_created.txt': null,
  'crictl/critools-doc_crictl_ps_with_podid.txt': null,
  'ebpf/bcc/tcpaccept_example.txt': null,
  'ebpf/bcc/tcpconnect_example.txt': null,
  'ebpf/bcc/tcpdrop_example.txt': null,
  'ebpf/bcc/tcplife_example.txt': null,
  'ebpf/bcc/tcpretrans_example.txt': null,
  'ebpf/bcc/tcpstates_example.txt': null,
  // The man page documents the columns but holds no output.
  'ebpf/bcc/tcptracer.8.man.txt': null,
  'ebpf/bcc/tcptracer_-v_-N__find_string_17005351691.txt': 'tcptracer',
  'ebpf/bcc/tcptracer_example.txt': 'tcptracer',
  'ebpf/bcc/tcptracer_example__block1_default.txt': 'tcptracer',
  'ebpf/bcc/tcptracer_example__block2_-t.txt': 'tcptracer',
  'ebpf/inspektor-gadget/old_builtin_trace_tcp.md': null, // inspektor-gadget (test/formats/inspektor-gadget.test.ts)
  'ebpf/inspektor-gadget/old_builtin_trace_tcp__block1.txt': null, // inspektor-gadget (test/formats/inspektor-gadget.test.ts)
  'ebpf/inspektor-gadget/old_builtin_trace_tcp__block2.txt': null, // inspektor-gadget (test/formats/inspektor-gadget.test.ts)
  'ebpf/inspektor-gadget/old_guides_tcptracer.md': null, // inspektor-gadget (test/formats/inspektor-gadget.test.ts)
  'ebpf/inspektor-gadget/old_guides_tcptracer__block1.txt': null, // inspektor-gadget (test/formats/inspektor-gadget.test.ts)
  'ebpf/inspektor-gadget/old_guides_tcptracer__block2.txt': null, // inspektor-gadget (test/formats/inspektor-gadget.test.ts)
  'ebpf/inspektor-gadget/old_snapshot_socket.md': null,
  'ebpf/inspektor-gadget/old_top_tcp.md': null,
  'ebpf/inspektor-gadget/old_trace_network.md': null,
  'ebpf/inspektor-gadget/old_trace_tcpdrop.md': null,
  'ebpf/inspektor-gadget/old_trace_tcpretrans.md': null,
  'ebpf/inspektor-gadget/snapshot_socket_README.mdx': null,
  'ebpf/inspektor-gadget/top_tcp_README.mdx': null,
  'ebpf/inspektor-gadget/trace_tcp_README.mdx': null, // inspektor-gadget (test/formats/inspektor-gadget.test.ts)
  'ebpf/inspektor-gadget/trace_tcp_README__block1.txt': null, // inspektor-gadget (test/formats/inspektor-gadget.test.ts)
  'ebpf/inspektor-gadget/trace_tcp_README__block2.txt': null, // inspektor-gadget (test/formats/inspektor-gadget.test.ts)
  'ebpf/inspektor-gadget/trace_tcpdrop_README.mdx': null,
  'ebpf/inspektor-gadget/trace_tcpretrans_README.mdx': null,
  'netns-iplink/docker_container_ip_addr_two_if__id29021193144.txt': null,
  'netns-iplink/veth_pair_netns_ip_link_list__id42333524964.txt': null,
  'kubectl/doks-blog_kubectl_get_endpoints_nginx-svc_-o_yaml__id45386094783.yaml': null, // kubectl (test/formats/kubectl-describe-yaml.test.ts)
  'kubectl/doks-blog_kubectl_get_endpointslices_nginx-svc-t9zx4_-o_yaml__id45386094783.yaml': null,
  'kubectl/inquisitivefrog_kubectl_get_endpoints_kube-dns.txt': null,
  'kubectl/pradeepgadde_kubectl_describe_pods_nginx.txt': null,
  // runtime-log (test/formats/runtime-log.test.ts); their syslog lines are a weak kernlog claim (SYSLOG_OF_OTHERS)
  'runtime-log/aks-nodepool1_syslog_grep_multiple__id37790440579.txt': null,
  'runtime-log/calico-kubeadm_journalctl_-u_kubelet__id5349490293.txt': null,
  'runtime-log/bugzooka_openshift_crio_kubenswrapper_journal.txt': null,
  'runtime-log/aks-np2_syslog_nginx_create_delete__id37087464978.txt': null,
  'runtime-log/vijayrod-k8s-cni-azure_azure-vnet.log_grep_nginx.txt': null,
  'runtime-log/vijayrod-k8s-cni-azure_syslog_grep_ee86fb8b.txt': null,
};

/**
 * Syslog files of another format (containerd/kubelet journals): kernlog reads any syslog weakly
 * (0.3) by design, which the registry's winner (runtime-log, 0.85) outranks.
 */
const SYSLOG_OF_OTHERS = new Set([
  'runtime-log/aks-nodepool1_syslog_grep_multiple__id37790440579.txt',
  'runtime-log/calico-kubeadm_journalctl_-u_kubelet__id5349490293.txt',
  'runtime-log/bugzooka_openshift_crio_kubenswrapper_journal.txt',
  'runtime-log/aks-np2_syslog_nginx_create_delete__id37087464978.txt',
  'runtime-log/vijayrod-k8s-cni-azure_syslog_grep_ee86fb8b.txt',
]);

const LAB_EXPECTED: Record<string, Kind | null> = {
  'conntrack_-C.txt': null, // a bare number with no name
  'conntrack_-E_-o_timestamp,extended,id.txt': 'conntrack',
  'conntrack_-E_-o_timestamp.txt': 'conntrack',
  'conntrack_-L.txt': 'conntrack',
  'conntrack_-L_-f_ipv6.txt': 'conntrack',
  'conntrack_-L_-o_extended.txt': 'conntrack',
  'conntrack_-S.txt': 'conntrack',
  'netstat_-ant_server.txt': 'netstat',
  'netstat_-ptn_server.txt': 'netstat',
  'netstat_-tanp_client.txt': 'netstat',
  nf_conntrack_max: 'sysctl',
  'proc_net_nf_conntrack.txt': 'conntrack',
  'proc_net_stat_nf_conntrack.txt': 'conntrack',
  'ss_-tanp_client.txt': 'netstat',
  'ss_-tanp_server.txt': 'netstat',
  'sysctl_-a_grep_nf_conntrack_tcp_timeout.txt': 'sysctl',
  'sysctl_nf_conntrack_max_count.txt': 'sysctl',
};

/** Documentation files: read for their embedded tables, but only weakly claimed. */
const DOCS = new Set([
  'ebpf/bcc/tcptracer_example.txt',
  'ebpf/inspektor-gadget/old_builtin_trace_tcp.md',
  'ebpf/inspektor-gadget/old_guides_tcptracer.md',
  'ebpf/inspektor-gadget/trace_tcp_README.mdx',
]);

function scores(text: string, name: string): Map<Kind, number> {
  const m = new Map<Kind, number>();
  for (const f of FORMATS) {
    const s = f.sniff(head(text), name);
    expect(s, `${f.kind} on ${name}`).toBeGreaterThanOrEqual(0);
    expect(s, `${f.kind} on ${name}`).toBeLessThanOrEqual(1);
    m.set(f.kind, s);
  }
  return m;
}

function checkClaim(name: string, text: string, want: Kind | null, doc: boolean): void {
  const s = scores(text, name);
  const ranked = [...s.entries()].sort((a, b) => b[1] - a[1]);
  if (want === null) {
    for (const [k, v] of ranked) {
      if (k === 'kernlog' && SYSLOG_OF_OTHERS.has(name)) expect(v, `${k} may claim ${name} only weakly`).toBeLessThan(0.5);
      else expect(v, `${k} must not claim ${name}`).toBe(0);
    }
    return;
  }
  expect(ranked[0][0], `${name}: ${JSON.stringify(ranked)}`).toBe(want);
  if (doc) {
    expect(ranked[0][1]).toBeGreaterThan(0);
    expect(ranked[0][1]).toBeLessThan(0.5);
  } else {
    expect(ranked[0][1]).toBeGreaterThanOrEqual(0.5);
  }
  // No second format is confident, and the runner-up is clearly below the winner.
  expect(ranked[1][1], `${name}: ${JSON.stringify(ranked)}`).toBeLessThan(0.5);
  expect(ranked[0][1] - ranked[1][1]).toBeGreaterThanOrEqual(0.2);
}

describe('node-tool text sniffing', () => {
  const files = listFiles(SAMPLES);

  it('knows every sample in the shared samples folder (add new ones to EXPECTED)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((f) => !(f in EXPECTED))).toEqual([]);
  });

  it.each(files)('claims %s as its expected kind only', (rel) => {
    checkClaim(rel, sample(rel), EXPECTED[rel] ?? null, DOCS.has(rel));
  });

  it('knows every lab capture', () => {
    expect(labFiles()).toEqual(Object.keys(LAB_EXPECTED).sort());
  });

  it.each(labFiles())('claims lab/%s as its expected kind only', (name) => {
    checkClaim(join(LAB, name), lab(name), LAB_EXPECTED[name] ?? null, false);
  });

  it('reads hostile long lines in linear time', () => {
    const hostile = [
      'tcp 0 0 ' + ' '.repeat(100_000) + 'x',
      'a' + ' '.repeat(100_000) + 'x',
      'I1120 15:18:19.757786 ' + ' '.repeat(100_000) + 'x',
      'net' + '.a'.repeat(50_000) + '!',
      '[1.0] a,\n' + 'b,\n'.repeat(30_000),
      'ESTAB 0 0 1.1.1.1:1 2.2.2.2:2 users:((' + '"'.repeat(100_000),
    ];
    for (const f of FORMATS) {
      for (const text of hostile) {
        const t0 = performance.now();
        f.sniff(head(text), 'x');
        try {
          f.parse(text, { source: 'x' });
        } catch {
          // only the type of failure matters here, not its speed
        }
        expect(performance.now() - t0, `${f.kind} on ${JSON.stringify(text.slice(0, 20))}`).toBeLessThan(1500);
      }
    }
  });

  it('parses every claimed sample with no diagnostics but masked values and truly damaged lines', () => {
    const allowed: Record<string, string[]> = {
      'aks-snat-runbook/01_tcptracer_-t4v.txt': Array(7).fill('TEXT_MASKED_VALUE'),
      'aks-snat-runbook/06_netstat_-ptn_established.txt': ['TEXT_MASKED_VALUE'],
      'aks-snat-runbook/07_windows_netstat_-aon_established.txt': Array(4).fill('TEXT_MASKED_VALUE'),
      // kube-proxy's klog times have no year.
      'conntrack/k8s-71261_kube-proxy_log_conntrack_max.txt': ['TEXT_NO_DATE'],
      // The first line is cut at its start (`obs kernel:` of `jobs kernel:`); syslog has no year.
      'conntrack/starphleet-352_syslog_table_full_wrapped.txt': ['TEXT_MALFORMED_LINE', 'TEXT_NO_DATE'],
    };
    for (const rel of files) {
      const want = EXPECTED[rel];
      if (!want) continue;
      const f = FORMATS.find((x) => x.kind === want)!;
      const r = f.parse(sample(rel), { source: rel, baseTimeUs: Date.UTC(2019, 5, 1) * 1000 });
      expect(r.records.length, rel).toBeGreaterThan(0);
      expect(r.diagnostics.map((d) => d.code), rel).toEqual(allowed[rel] ?? []);
    }
  });
});
