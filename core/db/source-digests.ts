import type { CaseDb } from './open-case.js';

/**
 * Sources (other than `selfId`) stored under this digest: the bare digest or a `digest@context`
 * key, with the node context each speaks for (core/ingest/source-identity.ts decides from them).
 */
export function sourcesWithDigest(db: CaseDb, digest: string, selfId = -1): { sha256: string; ctx: string }[] {
  // Digests are hex: every `digest@…` key sorts between `digest@` and `digestA`, so the unique index answers.
  return db.prepare(`SELECT sha256, COALESCE(node, folder, '') AS ctx FROM sources
    WHERE (sha256 = ? OR (sha256 >= ? AND sha256 < ?)) AND id <> ?`).all(digest, `${digest}@`, `${digest}A`, selfId) as { sha256: string; ctx: string }[];
}
