export { splitLines, firstLines, isPromptLine, shorten, type TextLine, type SplitText } from './lines.js';
export { looksLikeMarkdown, fencedBlocks, type FencedBlock } from './markdown.js';
export { isMaskedHexId, isMaskedIpv4, isMaskedNumber, isMaskedValue } from './masked.js';
export { headerColumns, splitRow, type Column } from './columns.js';
export { readJsonDocuments, isObject, str, num, obj, arr, stringMap, type JsonDocument, type JsonReadResult } from './json.js';
export { DiagnosticSink } from './report.js';
export { parseRelativeAge, parseIsoTimeUs, type RelativeAge } from './time.js';
export { opt } from './object.js';
export { anchorAge, cellLookup, type TableRowContext } from './table-row.js';
