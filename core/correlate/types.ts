/** Where a link in the identity graph comes from: a file and its line. */
export interface Evidence {
  /** What the evidence says, e.g. "crictl ps: container 14bc97b0371bc in pod api". */
  link: string;
  source: string;
  line: number | null;
}

/** A parsed node-tool record as correlation receives it, with its provenance. */
export interface FactInput {
  kind: string;
  record: unknown;
  source: string;
  sourceId: number;
  /** Node the file belongs to (bundle folder or --node). */
  node: string | null;
}

export type IdentityKind = 'pod' | 'node' | 'service' | 'netns';

/**
 * One resolved identity: an address (or a network namespace with no known address) and what it
 * belongs to. An IP used by two pods at different times gives two identities with their ranges.
 */
export interface Identity {
  kind: IdentityKind;
  ip: string | null;
  pod: string | null;
  namespace: string | null;
  /** Service name (namespace/name) for a cluster IP. */
  service: string | null;
  containerIds: string[];
  sandboxIds: string[];
  netnsInode: number | null;
  veth: string | null;
  /** ifindex of the pod's veth on the node. */
  ifindex: number | null;
  node: string | null;
  firstUs: number | null;
  lastUs: number | null;
  evidence: Evidence[];
}

export interface CorrelationResult {
  identities: Identity[];
  /** Contradictions and masked matches worth a diagnostic. */
  notes: { code: 'CORRELATE_CONFLICT' | 'TEXT_MASKED_VALUE'; message: string; source?: string; line?: number }[];
}
