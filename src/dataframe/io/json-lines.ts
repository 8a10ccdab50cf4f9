// Records of a JSON lines text (one per line; \n, \r\n or a lone \r end a line, as Hadoop's line
// reader) or of a multiLine document, and the messages that locate a malformed one.
import { JsonSyntaxError } from './json-lexer.js';

const LF = 10, CR = 13;

/** Calls `fn(start, end, line)` per line (without its line break), or once for the whole text. */
export function forEachLine(text: string, whole: boolean, firstLine: number, fn: (start: number, end: number, line: number) => void): void {
  const n = text.length;
  if (whole) { if (n > 0) fn(0, n, firstLine); return; }
  let pos = 0, line = firstLine;
  let nextLF = text.indexOf('\n');
  let nextCR = text.indexOf('\r');
  while (pos < n) {
    if (nextLF >= 0 && nextLF < pos) nextLF = text.indexOf('\n', pos);
    if (nextCR >= 0 && nextCR < pos) nextCR = text.indexOf('\r', pos);
    let end = nextLF < 0 ? n : nextLF;
    if (nextCR >= 0 && nextCR < end) end = nextCR;
    fn(pos, end, line);
    pos = end + (end < n && text.charCodeAt(end) === CR && end + 1 < n && text.charCodeAt(end + 1) === LF ? 2 : 1);
    line++;
  }
}

/** "Malformed JSON record in <source> at line L[, column C]: why". */
export function malformedMessage(text: string, recordStart: number, line: number, e: unknown, source: string): string {
  if (e instanceof JsonSyntaxError) {
    let l = line, lineStart = recordStart;
    for (let p = recordStart; p < e.pos && p < text.length; p++) {
      const c = text.charCodeAt(p);
      if (c === LF || (c === CR && text.charCodeAt(p + 1) !== LF)) { l++; lineStart = p + 1; }
    }
    return `Malformed JSON record in ${source} at line ${l}, column ${e.pos - lineStart + 1}: ${e.message}`;
  }
  if (e instanceof RangeError) return `Malformed JSON record in ${source} at line ${line}: it is nested too deeply`;
  return `Malformed JSON record in ${source} at line ${line}: ${e instanceof Error ? e.message : String(e)}`;
}
