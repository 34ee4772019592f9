import { readFileSync } from 'node:fs';

/** The ground truth a lab bundle was built from (fixtures/lab/make-bundle.sh writes it). */
export interface Manifest {
  scenario: string;
  node: { name: string; ip: string };
  pods: { namespace: string; name: string; ip: string; node: string; veth: string; veth_ifindex: number; netns_inode: number; container_ids: string[]; sandbox_id?: string }[];
  expect: {
    connections: { pod: string | null; proto: string; orig_ip: string; resp_ip: string; resp_port: number; state: string; count: number; public: boolean }[];
    rsts: { sender_ip: string; sender_port: number | null; receiver_ip: string; sender_role: string; verdict: string; sender_pod: string | null; count: number }[];
    fanout_top?: { pod: string; ip: string; netns_inode: number; connections: number; destinations: number; public_destinations: number };
    snat?: { snat_ip: string; dst_ip: string; dst_port: number; distinct_src_ports: number }[];
    [k: string]: unknown;
  };
}

export function readManifest(path: string): Manifest {
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}
