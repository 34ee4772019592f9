/** What an ingest says about each input (ingest.ts and sectioned-ingest.ts both return it). */
export type IngestStatus = 'ingested' | 'duplicate' | 'unknown' | 'failed' | 'partial';

export interface IngestResult {
  path: string;
  status: IngestStatus;
  kind: string;
  sourceId?: number;
  records: number;
  diagnostics: number;
  /** One line: why it failed or was not recognised. */
  reason?: string;
  /** True when the user named this file directly (not found inside a folder or archive). */
  direct: boolean;
}
