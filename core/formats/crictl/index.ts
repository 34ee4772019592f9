import type { TextFormat } from '../text-format.js';
import { parseCrictl } from './reader.js';
import { sniffCrictl } from './sniff.js';
import type { CrictlRecord } from './types.js';

export const crictlFormat: TextFormat<'crictl', CrictlRecord> = {
  kind: 'crictl',
  sniff: sniffCrictl,
  parse: parseCrictl,
};

export { parseCrictl, sniffCrictl };
export { parseK8sDockerName, isFullId, type K8sDockerName } from './k8s-names.js';
export type { CrictlRecord, ContainerRecord, SandboxRecord, InspectRecord, CniInterface } from './types.js';
