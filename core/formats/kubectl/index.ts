import type { TextFormat } from '../text-format.js';
import { parseKubectl } from './reader.js';
import { sniffKubectl } from './sniff.js';
import type { KubectlRecord } from './types.js';

export const kubectlFormat: TextFormat<'kubectl', KubectlRecord> = {
  kind: 'kubectl',
  sniff: sniffKubectl,
  parse: parseKubectl,
  // `kubectl get -o json | jq -c` puts a whole cluster on one line.
  longLines: true,
};

export { parseKubectl, sniffKubectl };
export { parsePorts, parseSelector } from './table.js';
export type { KubectlRecord, KubePod, KubeNode, KubeService, KubeEndpoint, ServicePort } from './types.js';
