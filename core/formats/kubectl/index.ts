import type { TextFormat } from '../text-format.js';
import { parseKubectl } from './reader.js';
import { sniffKubectl } from './sniff.js';
import type { KubectlRecord } from './types.js';

export const kubectlFormat: TextFormat<'kubectl', KubectlRecord> = {
  kind: 'kubectl',
  sniff: sniffKubectl,
  parse: parseKubectl,
};

export { parseKubectl, sniffKubectl };
export { parsePorts, parseSelector } from './table.js';
export type { KubectlRecord, KubePod, KubeNode, KubeService, KubeEndpoint, ServicePort } from './types.js';
