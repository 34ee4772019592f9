import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectTextFormat } from '../../core/formats/registry.js';

/**
 * Every real sample in fixtures/samples/node-tools, detected by content through the same registry
 * ingest uses. Documentation pages (man pages, READMEs, *_example.txt with prose around the
 * output) are not evidence and stay 'unknown'; a new sample fails here until it is classified.
 */
const root = 'fixtures/samples/node-tools';
const EXPECTED: Record<string, string> = {
  'aks-snat-runbook/01_tcptracer_-t4v.txt': 'tcptracer',
  'aks-snat-runbook/02_tcptracer_count_by_saddr_netns.txt': 'tcptracer-count',
  'aks-snat-runbook/03_lsns_-t_net.txt': 'lsns',
  'aks-snat-runbook/04_pstree_-aps_19832.txt': 'pstree',
  'aks-snat-runbook/05_crictl_ps_-a.txt': 'crictl',
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
  'conntrack/nuttx-2356_conntrack_-E_-L_NOT_LINUX.txt': 'unknown',
  'conntrack/starphleet-352_syslog_table_full_wrapped.txt': 'kernlog',
  'crictl/critools-doc_crictl.md': 'unknown',
  'crictl/critools-doc_crictl_pods.txt': 'crictl',
  'crictl/critools-doc_crictl_ps_-a_created.txt': 'crictl',
  'crictl/critools-doc_crictl_ps_with_podid.txt': 'crictl',
  'ebpf/bcc/tcpaccept_example.txt': 'unknown',
  'ebpf/bcc/tcpconnect_example.txt': 'unknown',
  'ebpf/bcc/tcpdrop_example.txt': 'unknown',
  'ebpf/bcc/tcplife_example.txt': 'unknown',
  'ebpf/bcc/tcpretrans_example.txt': 'unknown',
  'ebpf/bcc/tcpstates_example.txt': 'unknown',
  'ebpf/bcc/tcptracer.8.man.txt': 'unknown',
  'ebpf/bcc/tcptracer_-v_-N__find_string_17005351691.txt': 'tcptracer',
  'ebpf/bcc/tcptracer_example.txt': 'unknown',
  'ebpf/bcc/tcptracer_example__block1_default.txt': 'tcptracer',
  'ebpf/bcc/tcptracer_example__block2_-t.txt': 'tcptracer',
  'ebpf/inspektor-gadget/old_builtin_trace_tcp.md': 'unknown',
  'ebpf/inspektor-gadget/old_builtin_trace_tcp__block1.txt': 'inspektor-gadget',
  'ebpf/inspektor-gadget/old_builtin_trace_tcp__block2.txt': 'inspektor-gadget',
  'ebpf/inspektor-gadget/old_guides_tcptracer.md': 'unknown',
  'ebpf/inspektor-gadget/old_guides_tcptracer__block1.txt': 'inspektor-gadget',
  'ebpf/inspektor-gadget/old_guides_tcptracer__block2.txt': 'inspektor-gadget',
  'ebpf/inspektor-gadget/old_snapshot_socket.md': 'unknown',
  'ebpf/inspektor-gadget/old_top_tcp.md': 'unknown',
  'ebpf/inspektor-gadget/old_trace_network.md': 'unknown',
  'ebpf/inspektor-gadget/old_trace_tcpdrop.md': 'unknown',
  'ebpf/inspektor-gadget/old_trace_tcpretrans.md': 'unknown',
  'ebpf/inspektor-gadget/snapshot_socket_README.mdx': 'unknown',
  'ebpf/inspektor-gadget/top_tcp_README.mdx': 'unknown',
  'ebpf/inspektor-gadget/trace_tcp_README.mdx': 'unknown',
  'ebpf/inspektor-gadget/trace_tcp_README__block1.txt': 'inspektor-gadget',
  'ebpf/inspektor-gadget/trace_tcp_README__block2.txt': 'inspektor-gadget',
  'ebpf/inspektor-gadget/trace_tcpdrop_README.mdx': 'unknown',
  'ebpf/inspektor-gadget/trace_tcpretrans_README.mdx': 'unknown',
  'netns-iplink/docker_container_ip_addr_two_if__id29021193144.txt': 'iplink',
  'netns-iplink/veth_pair_netns_ip_link_list__id42333524964.txt': 'iplink',
  'kubectl/doks-blog_kubectl_get_endpoints_nginx-svc_-o_yaml__id45386094783.yaml': 'kubectl',
  'kubectl/doks-blog_kubectl_get_endpointslices_nginx-svc-t9zx4_-o_yaml__id45386094783.yaml': 'kubectl',
  'kubectl/inquisitivefrog_kubectl_get_endpoints_kube-dns.txt': 'kubectl',
  'kubectl/pradeepgadde_kubectl_describe_pods_nginx.txt': 'kubectl',
  'runtime-log/aks-nodepool1_syslog_grep_multiple__id37790440579.txt': 'runtime-log',
  'runtime-log/aks-np2_syslog_nginx_create_delete__id37087464978.txt': 'runtime-log',
  'runtime-log/vijayrod-k8s-cni-azure_azure-vnet.log_grep_nginx.txt': 'runtime-log',
  'runtime-log/vijayrod-k8s-cni-azure_syslog_grep_ee86fb8b.txt': 'runtime-log',
};

function* walk(d: string): Generator<string> {
  for (const f of readdirSync(d).sort()) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

describe('node-tool samples are detected as their kind', () => {
  const files = [...walk(root)].map((p) => relative(root, p));
  it('every sample is classified here', () => {
    expect(files.filter((f) => !(f in EXPECTED))).toEqual([]);
  });
  for (const f of files) {
    it(f, () => {
      const d = detectTextFormat(readFileSync(join(root, f), 'utf8').slice(0, 65536), f);
      expect(d?.format.kind ?? 'unknown').toBe(EXPECTED[f]);
      if (d) {
        const res = d.format.parse(readFileSync(join(root, f), 'utf8'), { source: f });
        expect(res.records.length).toBeGreaterThan(0);
        // Only masked values and damaged lines may be reported.
        expect(res.diagnostics.filter((x) => !['TEXT_MASKED_VALUE', 'TEXT_MALFORMED_LINE', 'TEXT_NO_DATE', 'TEXT_TRUNCATED'].includes(x.code))).toEqual([]);
      }
    });
  }
});
