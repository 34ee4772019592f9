import { AZURE_CNI, JOURNAL, logfmtField } from './line.js';

/** Lines only this format reads: a sandbox/container id given to a pod, or a CNI plugin's ADD/DEL. */
const EVENT = /RunPodSandbox for &PodSandboxMetadata\{.*returns sandbox id|CreateContainer within sandbox .* returns container id|Processing (?:ADD|DEL) command with args|Created endpoint &\{|Ran pod sandbox [0-9a-f]{64} with infra container|\] [\w./-]+ \d+: (?:Populated endpoint ContainerID=|Calico CNI using IPs:)/;

/**
 * Runtime journals and CNI logs. A kubelet-only journal stays the node-name format's (it reads
 * its host); this one claims a log once its head shows pod events it can read.
 */
export function sniffRuntimeLog(head: string, _fileName: string): number {
  const sample = head.split(/\r?\n/).slice(0, 400).filter((l) => l.trim() !== '');
  if (sample.length === 0) return 0;
  let ours = 0;
  let events = 0;
  for (const l of sample) {
    const j = JOURNAL.exec(l);
    const a = j ? undefined : AZURE_CNI.exec(l);
    const bare = !j && !a && /^time="[^"]+" level=\w+ msg=/.test(l);
    if (!j && !a && !bare) continue;
    ours++;
    const text = j ? j[3]! : a ? a[1]! : l;
    if (EVENT.test(j && j[2] !== 'kubelet' && j[2] !== 'kubenswrapper' ? (logfmtField(text, 'msg') ?? text) : text)) events++;
  }
  if (events === 0) return 0;
  return ours / sample.length >= 0.5 ? 0.85 : 0.3;
}
