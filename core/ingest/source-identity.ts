import type { CaseDb } from '../db/open-case.js';
import { sourcesWithDigest } from '../db/source-digests.js';

/**
 * When a file's bytes are already in the case as the same evidence.
 *
 * Re-ingesting a file, a capture copied twice into a bundle, or a cluster-wide listing (kubectl,
 * Hubble's relay) copied into every node's folder must not count twice. But two nodes can print
 * byte-identical node-local state — kube-proxy writes the same iptables-save on every node, the
 * default `ip rule` is the same everywhere — and each node's copy is that node's evidence: the
 * REJECT rule that forged a RST on node B is in B's file even when A's file is the same.
 */
const CLUSTER_WIDE_KINDS = new Set(['pcap', 'pcapng', 'kubectl', 'hubble']);

/** The node a source speaks for, as stored: its explicit node, else its bundle folder ('' for none). */
export function sourceContext(node: string | null | undefined, folder: string | null | undefined): string {
  return node ?? folder ?? '';
}

/**
 * The value the sources table keeps as this file's sha256, or null when the case already holds these
 * bytes as the same evidence (then the file is a duplicate). The first copy keeps the bare digest;
 * another node's copy of node-local state is kept as `digest@context`, so the column stays unique
 * and re-ingesting either copy is still a no-op.
 */
export function sourceKey(db: CaseDb, digest: string, kind: string, context: string, selfId = -1): string | null {
  const same = sourcesWithDigest(db, digest, selfId);
  if (same.length === 0) return digest;
  if (CLUSTER_WIDE_KINDS.has(kind)) return null;
  if (same.some((s) => s.ctx === context || s.sha256 === `${digest}@${context}`)) return null;
  return `${digest}@${context}`;
}
