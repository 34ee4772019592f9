/** Where a link in the identity graph comes from: a file and its line. */
export interface Evidence {
  /** What the evidence says, e.g. "crictl ps: container 14bc97b0371bc in pod api". */
  link: string;
  source: string;
  line: number | null;
  /**
   * How strongly it ties the link: a file that states it (direct), a join or a pattern in the
   * packets (inferred), or only a CNI's naming rule (naming). Absent on older cases: direct.
   */
  strength?: Strength;
}

export type Strength = 'direct' | 'inferred' | 'naming';

/** A parsed node-tool record as correlation receives it, with its provenance. */
export interface FactInput {
  kind: string;
  record: unknown;
  source: string;
  sourceId: number;
  /** Node given for the file (--node); null when its folder's content has to name it. */
  node: string | null;
  /** Bundle folder grouping one node's files ("" at the top); null with --node. */
  group?: string | null;
}

/** What the packets say: the interface indexes (SLL2) every flow of an address was seen on. */
export interface CaptureFact {
  ip: string;
  group: string | null;
  node: string | null;
  /** Interface indexes common to every flow of the address in this folder's captures. */
  ifindexes: number[];
  flows: number;
  source: string;
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
  /** The node each bundle folder's content names (null: content names none). */
  groupNodes: { group: string; node: string | null; evidence: Evidence[] }[];
  /** Contradictions and masked matches worth a diagnostic. */
  notes: { code: 'CORRELATE_CONFLICT' | 'TEXT_MASKED_VALUE'; message: string; source?: string; line?: number }[];
}
