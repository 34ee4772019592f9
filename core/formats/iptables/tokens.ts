/**
 * iptables-save quotes arguments that hold spaces or quotes (`--comment "a b"`, with `\"` and
 * `\\` escaped); outside quotes a backslash escapes the next character, as in a shell. Returns
 * undefined when a quote is never closed (a cut line).
 */
export function shellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= n) break;
    let word = '';
    while (i < n && text[i] !== ' ' && text[i] !== '\t') {
      const c = text[i]!;
      if (c === '\\' && i + 1 < n) {
        word += text[i + 1];
        i += 2;
        continue;
      }
      if (c === '"' || c === "'") {
        const quote = c;
        i++;
        let closed = false;
        while (i < n) {
          const d = text[i]!;
          if (d === '\\' && quote === '"' && i + 1 < n) {
            word += text[i + 1];
            i += 2;
            continue;
          }
          if (d === quote) {
            closed = true;
            i++;
            break;
          }
          word += d;
          i++;
        }
        if (!closed) return undefined;
      } else {
        word += c;
        i++;
      }
    }
    words.push(word);
  }
  return words;
}
