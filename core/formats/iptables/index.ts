import type { TextFormat } from '../text-format.js';
import { parseIptables } from './reader.js';
import { sniffIptables } from './sniff.js';
import type { IptablesRecord } from './types.js';

export const iptablesFormat: TextFormat<'iptables', IptablesRecord> = {
  kind: 'iptables',
  sniff: sniffIptables,
  parse: parseIptables,
};

export { parseIptables, sniffIptables };
export { blockingRules, portMatches } from './blocking.js';
export { kubeProxyServices } from './kube-proxy.js';
export { shellWords } from './tokens.js';
export type { IptablesRecord, IptablesChain, IptablesRule, KubeProxyService, KubeProxyEndpoint } from './types.js';
