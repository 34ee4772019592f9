/**
 * A text dump as batches of whole lines, so memory per dump is bounded like a capture's: a batch
 * of about `batchBytes` is parsed and written before the next is read. A line longer than
 * `maxLineBytes` keeps only its head (no node tool prints such lines; a file of one 500 MB line
 * held 2 GB and put the whole line in a diagnostic).
 */
export interface TextBatch {
  text: string;
  /** 1-based number of the batch's first line in the file. */
  firstLine: number;
  /** Byte offset of the batch's first line in the (decompressed) file. */
  offset: number;
  /** Lines of this batch that were cut: 1-based line number in the file, its byte offset and full length. */
  cut: { line: number; offset: number; bytes: number }[];
  /** The last batch; `text` ends without a newline when the file did. */
  last: boolean;
}

export async function* textBatches(chunks: AsyncIterable<Uint8Array>, batchBytes: number, maxLineBytes: number): AsyncGenerator<TextBatch> {
  let parts: Uint8Array[] = [];
  let partsBytes = 0;
  let line: Uint8Array[] = [];
  let lineKept = 0;
  let lineBytes = 0;
  let lineNo = 1;
  let lineOffset = 0;
  let batchFirst = 1;
  let batchOffset = 0;
  let cut: TextBatch['cut'] = [];
  const NL = new Uint8Array([0x0a]);

  const endLine = (withNewline: boolean): void => {
    for (const p of line) parts.push(p);
    partsBytes += lineKept;
    if (withNewline) { parts.push(NL); partsBytes++; }
    if (lineBytes > maxLineBytes) cut.push({ line: lineNo, offset: lineOffset, bytes: lineBytes });
    lineOffset += lineBytes + (withNewline ? 1 : 0);
    lineNo++;
    line = [];
    lineKept = 0;
    lineBytes = 0;
  };
  const take = (last: boolean): TextBatch => {
    const b: TextBatch = { text: Buffer.concat(parts).toString('utf8'), firstLine: batchFirst, offset: batchOffset, cut, last };
    parts = [];
    partsBytes = 0;
    cut = [];
    batchFirst = lineNo;
    batchOffset = lineOffset;
    return b;
  };

  for await (const chunk of chunks) {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(0x0a, pos);
      const end = nl < 0 ? chunk.length : nl;
      const room = maxLineBytes - lineKept;
      if (room > 0 && end > pos) {
        // A view: text chunks are fresh buffers (contentChunks without reuseBuffers).
        const piece = chunk.subarray(pos, pos + Math.min(room, end - pos));
        line.push(piece);
        lineKept += piece.length;
      }
      lineBytes += end - pos;
      if (nl < 0) break;
      endLine(true);
      pos = nl + 1;
      if (partsBytes >= batchBytes) yield take(false);
    }
  }
  if (lineBytes > 0) endLine(false);
  yield take(true);
}
