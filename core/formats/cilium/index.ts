import type { TextFormat } from '../text-format.js';
import { scanCilium, sniffCilium } from './reader.js';
import type { CiliumRecord } from './types.js';

export type { CiliumCtRecord, CiliumLbRecord, CiliumNatRecord, CiliumRecord } from './types.js';

/** `cilium(-dbg) bpf ct list global`, `bpf nat list` and `bpf lb list`: the eBPF datapath's conntrack, NAT and service maps. */
export const ciliumFormat: TextFormat<'cilium-bpf', CiliumRecord> = {
  kind: 'cilium-bpf',
  sniff: sniffCilium,
  parse: scanCilium,
};
