import type { TextFormat } from '../text-format.js';
import { scanCilium, sniffCilium } from './reader.js';
import type { CiliumRecord } from './types.js';

export type { CiliumCtRecord, CiliumNatRecord, CiliumRecord } from './types.js';

/** `cilium(-dbg) bpf ct list global` and `bpf nat list`: the eBPF datapath's conntrack and NAT maps. */
export const ciliumFormat: TextFormat<'cilium-bpf', CiliumRecord> = {
  kind: 'cilium-bpf',
  sniff: sniffCilium,
  parse: scanCilium,
};
