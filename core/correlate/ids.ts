/**
 * Container, sandbox and shim ids arrive full (64 hex), as crictl's 13-char prefixes, cut by
 * pstree ("4339cc45bb..."), or masked in published dumps ("2xxxf..."). Hex ids never contain
 * 'x', so a run of x is a mask of unknown length.
 */
export interface IdMatch {
  ok: boolean;
  masked: boolean;
}

function norm(id: string): { tokens: string[]; masked: boolean; open: boolean } {
  let s = id.trim().toLowerCase();
  let open = false;
  if (s.endsWith('...') || s.endsWith('…')) {
    s = s.replace(/(\.\.\.|…)$/, '');
    open = true;
  }
  const masked = /x/.test(s);
  return { tokens: s.split(/x+/), masked, open };
}

const MIN_PREFIX = 6;

export function idsMatch(a: string, b: string): IdMatch {
  const A = norm(a);
  const B = norm(b);
  if (!A.masked && !B.masked) {
    const [x, y] = [A.tokens[0], B.tokens[0]];
    const short = x.length <= y.length ? x : y;
    const long = short === x ? y : x;
    return { ok: short.length >= MIN_PREFIX && long.startsWith(short), masked: false };
  }
  // Masked: the visible head must agree, and the other visible pieces must appear in order.
  const headA = A.tokens[0];
  const headB = B.tokens[0];
  if (headA.length === 0 || headB.length === 0) return { ok: false, masked: true };
  if (!(headA.startsWith(headB) || headB.startsWith(headA))) return { ok: false, masked: true };
  const restA = A.tokens.slice(1).filter(Boolean);
  const restB = B.tokens.slice(1).filter(Boolean);
  const [few, many] = restA.length <= restB.length ? [restA, restB] : [restB, restA];
  let i = 0;
  for (const t of many) if (i < few.length && t.includes(few[i])) i++;
  return { ok: i === few.length, masked: true };
}
