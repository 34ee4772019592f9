import { ciliumFormat } from './cilium/index.js';
import { conntrackFormat } from './conntrack/index.js';
import { crictlFormat } from './crictl/index.js';
import { hubbleFormat } from './hubble/index.js';
import { inspektorGadgetFormat } from './inspektor-gadget/index.js';
import { ipLinkFormat } from './iplink/index.js';
import { ipRouteFormat } from './iproute/index.js';
import { iptablesFormat } from './iptables/index.js';
import { ipvsFormat } from './ipvs/index.js';
import { kubectlFormat } from './kubectl/index.js';
import { ufwFormat } from './ufw/index.js';
import { kernlogFormat } from './kernlog/index.js';
import { lsnsFormat } from './lsns/index.js';
import { netstatFormat } from './netstat/index.js';
import { nftFormat } from './nft/index.js';
import { nodeNameFormat } from './nodename/index.js';
import { procNetFormat } from './proc-net/index.js';
import { runtimeLogFormat } from './runtime-log/index.js';
import { pstreeFormat } from './pstree/index.js';
import { ssSummaryFormat } from './ss-summary/index.js';
import { sysctlFormat } from './sysctl/index.js';
import { tcptracerCountFormat, tcptracerFormat } from './tcptracer/index.js';
import type { TextFormat } from './text-format.js';

export type AnyTextFormat = TextFormat<string, unknown>;

/** Every node-tool text format podcap reads. Order only matters for exact ties. */
export const TEXT_FORMATS: AnyTextFormat[] = [
  inspektorGadgetFormat, tcptracerFormat, tcptracerCountFormat, conntrackFormat, kernlogFormat, sysctlFormat, netstatFormat,
  crictlFormat, lsnsFormat, pstreeFormat, ipLinkFormat, kubectlFormat, iptablesFormat, nftFormat, ipvsFormat, ufwFormat, nodeNameFormat,
  hubbleFormat, procNetFormat, ciliumFormat, ipRouteFormat, ssSummaryFormat, runtimeLogFormat,
] as AnyTextFormat[];

/** Below this a sniffer's claim is not taken (DESIGN.md: content decides, names only break ties). */
export const MIN_CONFIDENCE = 0.5;

export interface TextDetection {
  format: AnyTextFormat;
  confidence: number;
  /** Other formats' scores, for the "why" shown with unknown or close calls. */
  runnersUp: { kind: string; confidence: number }[];
}

export function detectTextFormat(head: string, fileName: string): TextDetection | undefined {
  const best = scoreTextFormats(head, fileName);
  return best && best.confidence >= MIN_CONFIDENCE ? best : undefined;
}

/** The best-scoring format whatever its score (to say why a file was left out). */
export function scoreTextFormats(head: string, fileName: string): TextDetection | undefined {
  const scored = TEXT_FORMATS.map((format) => {
    let confidence = 0;
    try {
      confidence = format.sniff(head, fileName);
    } catch {
      confidence = 0; // a sniffer must never sink the ingest of a file that is not its own
    }
    return { format, confidence };
  }).sort((a, b) => b.confidence - a.confidence);
  const best = scored[0];
  if (!best) return undefined;
  return { format: best.format, confidence: best.confidence, runnersUp: scored.slice(1, 3).map((s) => ({ kind: s.format.kind, confidence: s.confidence })) };
}
