import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crictlFormat, parseK8sDockerName } from '../../core/formats/crictl/index.js';
import type { ContainerRecord, InspectRecord, SandboxRecord } from '../../core/formats/crictl/index.js';
import { HAND, SAMPLES, codes, cutEnd, lineOf, parseFile, read } from './node-tools-fixtures.js';

const parse = (text: string, baseTimeUs?: number) => crictlFormat.parse(text, { source: 't', ...(baseTimeUs ? { baseTimeUs } : {}) });

describe('crictl: cri-tools doc samples', () => {
  it('reads `crictl pods` (POD ID ... ATTEMPT)', () => {
    const r = parseFile(crictlFormat, join(SAMPLES, 'crictl/critools-doc_crictl_pods.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toEqual([
      { type: 'sandbox', tool: 'crictl', podId: 'f84dd361f8dc5', idIsPrefix: true, name: 'nginx-sandbox', created: '17 seconds ago', state: 'Ready', namespace: 'default', attempt: 1, line: 2 },
    ]);
  });

  it('reads `crictl ps -a` with the old CONTAINER ID header and no POD ID', () => {
    const r = parseFile(crictlFormat, join(SAMPLES, 'crictl/critools-doc_crictl_ps_-a_created.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records).toEqual([
      { type: 'container', tool: 'crictl', containerId: '3e025dd50a72d', idIsPrefix: true, name: 'busybox', image: 'busybox', created: '32 seconds ago', state: 'Created', attempt: 0, line: 2 },
    ]);
  });

  it('reads `crictl ps` with a POD ID column', () => {
    const r = parseFile(crictlFormat, join(SAMPLES, 'crictl/critools-doc_crictl_ps_with_podid.txt'));
    expect(r.diagnostics).toEqual([]);
    const c = r.records[0] as ContainerRecord;
    expect(c).toMatchObject({ containerId: 'b25b4f26e3429', image: 'busybox:latest', state: 'Running', podId: '158d7a6665ff3', podIdIsPrefix: true, line: 2 });
  });

  it('treats the cri-tools markdown doc as documentation: low sniff, fenced examples marked embedded', () => {
    const text = read(join(SAMPLES, 'crictl/critools-doc_crictl.md'));
    expect(crictlFormat.sniff(text.slice(0, 65536), 'critools-doc_crictl.md')).toBe(0.3);
    const r = crictlFormat.parse(text, { source: 'crictl.md' });
    expect(r.diagnostics).toEqual([]);
    expect(r.records.map((x) => [x.type, x.line, x.embedded])).toEqual([
      ['sandbox', 246, true],
      ['container', 478, true],
      ['container', 489, true],
      ['container', 543, true],
    ]);
    // Line numbers point into the whole document.
    expect(lineOf(text, 246)).toMatch(/^f84dd361f8dc5 /);
    expect(lineOf(text, 489)).toMatch(/^3e025dd50a72d .*About a minute ago/);
    expect((r.records[2] as ContainerRecord).created).toBe('About a minute ago');
  });
});

describe('crictl: AKS runbook sample with masked values', () => {
  it('keeps the row, flags the masked ids and reports each once', () => {
    const r = parseFile(crictlFormat, join(SAMPLES, 'aks-snat-runbook/05_crictl_ps_-a.txt'));
    expect(codes(r.diagnostics)).toEqual(['TEXT_MASKED_VALUE@2', 'TEXT_MASKED_VALUE@2', 'TEXT_MASKED_VALUE@2']);
    expect(r.records).toEqual([
      {
        type: 'container', tool: 'crictl', containerId: '6b5xxxxb', idIsPrefix: true, name: 'ubuntu', image: 'fbxxxxx1', created: '6 hours ago',
        state: 'Running', attempt: 0, podId: '2xxxxxxxxf', podIdIsPrefix: true, podName: 'nginx', line: 2, masked: ['containerId', 'podId', 'image'],
      },
    ]);
  });
});

describe('crictl: tables laid out like crictl (handwritten fixtures)', () => {
  it('reads `crictl ps -a` with POD and NAMESPACE columns and keeps a hostile pod name verbatim', () => {
    const r = parseFile(crictlFormat, join(HAND, 'crictl/crictl_ps_-a.txt'));
    expect(r.diagnostics).toEqual([]);
    const rows = r.records as ContainerRecord[];
    expect(rows).toHaveLength(5);
    expect(rows[1]).toEqual({
      type: 'container', tool: 'crictl', containerId: 'e1d2c3b4a5968', idIsPrefix: true, name: 'web', image: 'a6bd71f48f683', created: '3 hours ago',
      state: 'Exited', attempt: 0, podId: 'ddddddddddddd', podIdIsPrefix: true, podName: 'web-7d4b9c8f6d-zzzzz', namespace: 'default', line: 3,
    });
    expect(rows[3]).toMatchObject({ image: 'mcr.microsoft.com/oss/kubernetes/kube-proxy:v1.30.4', name: 'kube-proxy', namespace: 'kube-system' });
    expect(rows[4]).toMatchObject({ containerId: '1f2e3d4c5b6a7', podName: '<img src=x onerror=alert(1)>', namespace: 'default', line: 6 });
  });

  it('reads the v1.26 layout (no NAMESPACE column) without inventing a namespace', () => {
    const r = parseFile(crictlFormat, join(HAND, 'crictl/crictl_ps_-a_v1.26.txt'));
    expect(r.diagnostics).toEqual([]);
    expect(r.records.every((c) => (c as ContainerRecord).namespace === undefined)).toBe(true);
    expect((r.records[2] as ContainerRecord).podName).toBe('coredns-76f75df574-x2x9k');
  });

  it('reads `crictl pods` with the RUNTIME column', () => {
    const r = parseFile(crictlFormat, join(HAND, 'crictl/crictl_pods.txt'));
    expect(r.diagnostics).toEqual([]);
    const pods = r.records as SandboxRecord[];
    expect(pods.map((p) => [p.podId, p.state, p.attempt])).toEqual([
      ['f84dd361f8dc5', 'Ready', 0],
      ['ddddddddddddd', 'NotReady', 0],
      ['c112976cb6caa', 'Ready', 1],
      ['7c1e2d3f4a5b6', 'Ready', 0],
      ['9a8b7c6d5e4f3', 'Ready', 0],
    ]);
    expect(pods[4]).toMatchObject({ name: '<img src=x onerror=alert(1)>', namespace: 'default', runtime: '(default)', line: 6 });
  });

  it('anchors CREATED ages to the base time and says so once', () => {
    const base = Date.parse('2026-11-21T12:00:00Z') * 1000;
    const r = parse(read(join(HAND, 'crictl/crictl_ps_-a.txt')), base);
    expect((r.records[0] as ContainerRecord).createdAtUs).toBe(base - 2 * 3600 * 1e6);
    expect((r.records[4] as ContainerRecord).createdAtUs).toBe(base - 600 * 1e6);
    expect(codes(r.diagnostics)).toEqual(['TEXT_NO_DATE@-']);
  });
});

describe('crictl: inspect JSON', () => {
  it('reads a container: pid, netns of its sandbox, pod identity from labels/annotations', () => {
    const r = parseFile(crictlFormat, join(HAND, 'crictl/crictl_inspect_web.json'));
    expect(r.diagnostics).toEqual([]);
    const c = r.records[0] as InspectRecord;
    expect(c).toMatchObject({
      type: 'inspect', tool: 'crictl', object: 'container', id: '3e025dd50a72d956c4f14881fbb5b1080c9275674e95fb67f965f6478a957d60',
      name: 'web', state: 'CONTAINER_RUNNING', pid: 4321, netnsPath: '/proc/4242/ns/net',
      sandboxId: 'f84dd361f8dc51518ed291fbadd6db537b0496536c1d2d6c05ff943ce8c9a54f',
      podName: 'web-7d4b9c8f6d-abcde', podNamespace: 'default', podUid: '6b0f3c1e-5a4d-4e2f-9b8a-7c6d5e4f3a2b', containerName: 'web', ips: [], line: 1,
    });
    expect(c.createdAtUs).toBe(Date.parse('2026-11-21T10:00:00Z') * 1000 + 123456);
  });

  it('reads `crictl inspect A B` (two objects one after the other) with each object\'s start line', () => {
    const r = parseFile(crictlFormat, join(HAND, 'crictl/crictl_inspect_two.json'));
    expect(r.diagnostics).toEqual([]);
    const [a, b] = r.records as InspectRecord[];
    expect(a!.line).toBe(1);
    expect(lineOf(r.text, b!.line)).toBe('{');
    expect(b).toMatchObject({ id: '1f2e3d4c5b6a798877665544332211ffeeddccbbaa99887766554433221100aa', podName: '<img src=x onerror=alert(1)>', netnsPath: '/proc/5150/ns/net' });
  });

  it('reads a sandbox: IPs from status.network, netns path, CNI interfaces incl. the host veth', () => {
    const r = parseFile(crictlFormat, join(HAND, 'crictl/crictl_inspectp_web.json'));
    expect(r.diagnostics).toEqual([]);
    const s = r.records[0] as InspectRecord;
    expect(s).toMatchObject({
      object: 'sandbox', id: 'f84dd361f8dc51518ed291fbadd6db537b0496536c1d2d6c05ff943ce8c9a54f', sandboxId: 'f84dd361f8dc51518ed291fbadd6db537b0496536c1d2d6c05ff943ce8c9a54f',
      name: 'web-7d4b9c8f6d-abcde', state: 'SANDBOX_READY', pid: 4242, ips: ['10.244.0.12', 'fd00:10:244::c'],
      netnsPath: '/var/run/netns/cni-6f1d7f0e-1b2c-4d3e-8f9a-0b1c2d3e4f5a', podNamespace: 'default', podUid: '6b0f3c1e-5a4d-4e2f-9b8a-7c6d5e4f3a2b',
    });
    expect(s.labels.app).toBe('web');
    expect(s.cniInterfaces).toContainEqual({ name: 'veth1a2b3c4d', ips: [], mac: '26:74:0b:bf:d5:b5', sandbox: '' });
    expect(s.cniInterfaces).toContainEqual({ name: 'eth0', ips: ['10.244.0.12'], mac: 'f6:e8:35:10:b8:e3', sandbox: '/var/run/netns/cni-6f1d7f0e-1b2c-4d3e-8f9a-0b1c2d3e4f5a' });
    // Nanosecond createdAt string (older crictl) → µs.
    expect(s.createdAtUs).toBe((Date.parse('2026-11-21T12:00:00Z') - 7205 * 1000) * 1000 + 123456);
  });

  it('marks a hostNetwork sandbox (network NODE, no network namespace in the spec)', () => {
    const r = parseFile(crictlFormat, join(HAND, 'crictl/crictl_inspectp_kube-proxy_hostnetwork.json'));
    const s = r.records[0] as InspectRecord;
    expect(s).toMatchObject({ object: 'sandbox', name: 'kube-proxy-8ktpm', hostNetwork: true, ips: [], pid: 980 });
    expect(s.netnsPath).toBeUndefined();
  });

  it('reads `crictl ps -o json` and `crictl pods -o json` with full ids', () => {
    const ps = parseFile(crictlFormat, join(HAND, 'crictl/crictl_ps_-a_-o_json.json'));
    expect(ps.diagnostics).toEqual([]);
    const c = ps.records[0] as ContainerRecord;
    expect(c).toMatchObject({
      containerId: '3e025dd50a72d956c4f14881fbb5b1080c9275674e95fb67f965f6478a957d60', idIsPrefix: false,
      podId: 'f84dd361f8dc51518ed291fbadd6db537b0496536c1d2d6c05ff943ce8c9a54f', podIdIsPrefix: false,
      podName: 'web-7d4b9c8f6d-abcde', namespace: 'default', state: 'CONTAINER_RUNNING', attempt: 0, line: 3,
    });
    expect(ps.records).toHaveLength(5);
    const pods = parseFile(crictlFormat, join(HAND, 'crictl/crictl_pods_-o_json.json'));
    expect(pods.diagnostics).toEqual([]);
    expect(pods.records[4]).toMatchObject({ type: 'sandbox', name: '<img src=x onerror=alert(1)>', podUid: '4d5e6f7a-8b9c-4d0e-1f2a-3b4c5d6e7f8a', idIsPrefix: false });
  });
});

describe('crictl: docker', () => {
  it('reads `docker ps -a`: k8s_ names, pause containers, empty and full PORTS', () => {
    const r = parseFile(crictlFormat, join(HAND, 'docker/docker_ps_-a.txt'));
    expect(r.diagnostics).toEqual([]);
    const rows = r.records as ContainerRecord[];
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatchObject({
      tool: 'docker', containerId: '5a1c0f7e9b3d', idIsPrefix: true, name: 'POD', isSandbox: true, podName: 'web-7d4b9c8f6d-abcde',
      namespace: 'default', podUid: '6b0f3c1e-5a4d-4e2f-9b8a-7c6d5e4f3a2b', attempt: 0, command: '"/pause"', state: 'Up 2 hours',
    });
    expect(rows[0]!.ports).toBeUndefined();
    expect(rows[4]).toMatchObject({ name: 'registry', dockerName: 'registry', ports: '0.0.0.0:5000->5000/tcp, [::]:5000->5000/tcp' });
    expect(rows[4]!.podName).toBeUndefined();
    expect(rows[5]).toMatchObject({ state: 'Exited (137) 23 hours ago', attempt: 3, podName: 'web-7d4b9c8f6d-zzzzz' });
  });

  it('reads `docker inspect`: pause netns (SandboxKey), app container → sandbox, bridge IP', () => {
    const r = parseFile(crictlFormat, join(HAND, 'docker/docker_inspect.json'));
    expect(r.diagnostics).toEqual([]);
    const [pause, app, plain] = r.records as InspectRecord[];
    expect(pause).toMatchObject({ tool: 'docker', object: 'sandbox', pid: 4242, netnsPath: '/var/run/docker/netns/5a1c0f7e9b3d', name: 'web-7d4b9c8f6d-abcde', line: 2 });
    expect(app).toMatchObject({ object: 'container', pid: 4321, containerName: 'web', sandboxId: '5a1c0f7e9b3d2c4a6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5' });
    expect(app!.netnsPath).toBeUndefined();
    expect(plain).toMatchObject({ name: 'registry', ips: ['172.17.0.2'], pid: 2211 });
    expect(lineOf(r.text, app!.line)).toBe('    {');
  });

  it('splits k8s_ docker names and rejects other names', () => {
    expect(parseK8sDockerName('/k8s_POD_web-1_default_0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f_2')).toEqual({
      containerName: 'POD', podName: 'web-1', namespace: 'default', podUid: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', attempt: 2, isSandbox: true,
    });
    expect(parseK8sDockerName('registry')).toBeUndefined();
    expect(parseK8sDockerName('k8s_a_b_c_d')).toBeUndefined();
    expect(parseK8sDockerName('k8s_a_b_c_d_x')).toBeUndefined();
  });
});

describe('crictl: damaged input', () => {
  const table = read(join(HAND, 'crictl/crictl_ps_-a.txt'));

  it('reports garbage lines with their 1-based line numbers and keeps the rest', () => {
    const lines = table.split('\n');
    lines.splice(3, 0, 'this is not a crictl row at all');
    lines.splice(1, 0, 'zzzz-not-hex        x                   1 hour ago          Running             a                   0                   abc                 p                   ns');
    const r = parse(lines.join('\n'));
    expect(codes(r.diagnostics)).toEqual(['TEXT_MALFORMED_LINE@2', 'TEXT_MALFORMED_LINE@5']);
    expect(r.records).toHaveLength(5);
    expect(r.records[2]!.line).toBe(6);
  });

  it('reports a line before any header', () => {
    const r = parse(`hello\n${table}`);
    expect(codes(r.diagnostics)).toEqual(['TEXT_MALFORMED_LINE@1']);
    expect(r.records).toHaveLength(5);
  });

  it('reports a cut last row as TEXT_TRUNCATED (dataLoss) and keeps earlier rows', () => {
    const r = parse(cutEnd(table, 80));
    expect(r.records).toHaveLength(4);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'TEXT_TRUNCATED', severity: 'dataLoss', line: 6 });
  });

  it('salvages complete containers of a cut JSON list', () => {
    const json = read(join(HAND, 'crictl/crictl_ps_-a_-o_json.json'));
    const cut = json.slice(0, json.indexOf('"coredns"'));
    const r = parse(cut);
    expect(r.records.map((c) => (c as ContainerRecord).name)).toEqual(['web', 'web']);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['TEXT_TRUNCATED']);
  });

  it('reports broken JSON as TEXT_BAD_JSON with its line', () => {
    const r = parse('{\n  "status": {"id": "abc", "state": "CONTAINER_RUNNING", "metadata": {}},\n  "info": {"pid": 12,, }\n}\n');
    expect(codes(r.diagnostics)).toEqual(['TEXT_BAD_JSON@1']);
    expect(r.records).toEqual([]);
  });

  it('reads CRLF files like LF files', () => {
    const r = parse(table.replace(/\n/g, '\r\n'));
    expect(r.diagnostics).toEqual([]);
    expect((r.records[4] as ContainerRecord).namespace).toBe('default');
  });
});
