/**
 * The one catalog of diagnostic codes. A diagnostic is a problem in the input that podcap
 * survived: it is stored in the case's `diagnostics` table and shown by `podcap sources` and the UI.
 * Add a code here (never inline a string elsewhere) so the UI and docs can enumerate them.
 */
export type Severity = 'info' | 'dataLoss' | 'error';

export const DIAGNOSTIC_CODES = {
  // captures
  CAPTURE_TRUNCATED_RECORD: { severity: 'dataLoss', doc: 'The last record is cut short (tcpdump killed); earlier records are kept.' },
  CAPTURE_TRUNCATED_HEADER: { severity: 'dataLoss', doc: 'The file ends inside a file/section header.' },
  CAPTURE_BAD_RECORD_LENGTH: { severity: 'dataLoss', doc: 'A record claims an impossible length; reading stops (or resyncs) here.' },
  CAPTURE_BAD_VERSION: { severity: 'info', doc: 'The header version is not 2.4 (pcap) / 1.x (pcapng); read as libpcap does.' },
  CAPTURE_RESERVED_LINKTYPE_BITS: { severity: 'info', doc: 'The link-type field carries FCS/reserved bits; they are masked as libpcap does.' },
  CAPTURE_UNKNOWN_LINKTYPE: { severity: 'info', doc: 'Packets with a link type podcap cannot decode are counted but not tracked.' },
  CAPTURE_UNKNOWN_BLOCK: { severity: 'info', doc: 'A pcapng block type podcap does not use was skipped.' },
  CAPTURE_BAD_INTERFACE: { severity: 'dataLoss', doc: 'A packet refers to an interface the section did not describe.' },
  CAPTURE_GZIP_ERROR: { severity: 'dataLoss', doc: 'The gzip stream is corrupt or cut; packets before the damage are kept.' },
  DECODE_SNAPLEN_CUT: { severity: 'info', doc: 'Packets were cut by the snapshot length; they were decoded as far as they go.' },
  DECODE_MALFORMED: { severity: 'info', doc: 'Packets whose headers are malformed (counted, not tracked).' },
  DECODE_FRAGMENTS: { severity: 'info', doc: 'IP fragments were seen; only first fragments carry ports.' },
  // text dumps
  TEXT_MALFORMED_LINE: { severity: 'info', doc: 'A line did not match the format and was skipped.' },
  TEXT_MASKED_VALUE: { severity: 'info', doc: 'A value was masked in the dump (e.g. 10.x.x.x, 3xxx9) and cannot be used.' },
  TEXT_LINE_TOO_LONG: { severity: 'dataLoss', doc: 'A line longer than any node tool prints (1 MiB); only its head was read.' },
  TEXT_TRUNCATED: { severity: 'dataLoss', doc: 'The dump ends mid-record.' },
  TEXT_NO_DATE: { severity: 'info', doc: 'Times carry no date; the bundle or user time was used.' },
  HUBBLE_NO_ADDRESS: { severity: 'info', doc: 'Hubble events named pods but not their addresses: no connection tuple, so they make no flow rows.' },
  TEXT_BAD_JSON: { severity: 'error', doc: 'A JSON dump could not be parsed.' },
  TEXT_SOURCE_LOST_EVENTS: { severity: 'dataLoss', doc: 'The tool itself reported lost events (bcc "Possibly lost N samples"); counts from this dump are low.' },
  // ingest / bundles
  INGEST_UNKNOWN_KIND: { severity: 'info', doc: 'The file was not recognised as any supported kind.' },
  INGEST_DUPLICATE: { severity: 'info', doc: 'The same bytes were already ingested (same sha256).' },
  INGEST_FAILED: { severity: 'error', doc: 'The source could not be read; it was rolled back.' },
  ARCHIVE_UNSAFE_PATH: { severity: 'error', doc: 'An archive entry with an absolute or ".." path was refused.' },
  ARCHIVE_SYMLINK: { severity: 'error', doc: 'A link inside an archive (never extracted), or one in a folder that leaves the tree, was refused.' },
  ARCHIVE_BOMB: { severity: 'error', doc: 'An archive exceeded the size, ratio or entry-count caps and was refused.' },
  ARCHIVE_CORRUPT: { severity: 'error', doc: 'The archive is damaged; entries before the damage were kept.' },
  ARCHIVE_EMPTY_ENTRIES: { severity: 'info', doc: 'Empty files inside an archive are not extracted (nothing to read); one count per archive.' },
  ARCHIVE_SKIPPED_ENTRY: { severity: 'dataLoss', doc: 'An archive entry podcap does not extract (device, FIFO, unknown type, encrypted, unsupported compression, duplicate name) was skipped.' },
  // correlation
  CORRELATE_CONFLICT: { severity: 'info', doc: 'Two sources disagree about an identity link.' },
} as const satisfies Record<string, { severity: Severity; doc: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** The file (or archive member) the problem is in. */
  source?: string;
  /** Byte offset in the (decompressed) file, for binary formats. */
  offset?: number;
  /** 1-based line number, for text formats. */
  line?: number;
}

export function diag(code: DiagnosticCode, message: string, where: { source?: string; offset?: number; line?: number } = {}): Diagnostic {
  return { code, severity: DIAGNOSTIC_CODES[code].severity, message: boundedMessage(message), ...where };
}

/** Longest diagnostic message kept: messages quote input (a line, a name), and input can be any size. */
export const MAX_MESSAGE_CHARS = 1000;

/** The message, or its head and how long it was: a 500 MB line once became a 524 MB diagnostic. */
export function boundedMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  return `${message.slice(0, MAX_MESSAGE_CHARS)}… (message of ${message.length} characters cut)`;
}
