import type { DiagnosticSink, TextLine } from '../node-text/index.js';
import { counter, protocolName, setAddress, setPorts } from './rule-fields.js';
import type { IptablesChain, IptablesRecord, IptablesRule } from './types.js';

const HEADER_WORDS = new Set(['num', 'pkts', 'bytes', 'target', 'prot', 'opt', 'in', 'out', 'source', 'destination']);
const OPT = /^(--|-f|!f|!-)$/;

/**
 * `iptables -L` listings: `Chain X (policy P ...)`, a column header, then one rule per line. The
 * target column is padded to 9 characters but longer chain names push the rest right, and a rule
 * without a target leaves it blank, so rows are read as words, not by column position.
 */
export class ListReader {
  private chain: string | undefined;
  private header: string[] | undefined;
  private num = 0;

  constructor(
    private readonly sink: DiagnosticSink,
    private readonly out: IptablesRecord[],
    public table: string | undefined,
  ) {}

  line(l: TextLine): string | undefined {
    const t = l.text;
    const chain = /^Chain (\S+) \((?:policy (\S+)(?: (\d+[KMGT]?) packets, (\d+[KMGT]?) bytes)?|(\d+) references)\)\s*$/.exec(t);
    if (chain) {
      const rec: IptablesChain = { type: 'chain', form: 'list', chain: chain[1]!, line: l.line };
      if (chain[2]) rec.policy = chain[2];
      if (chain[3]) rec.packets = counter(chain[3])?.value;
      if (chain[4]) rec.bytes = counter(chain[4])?.value;
      if (chain[5]) rec.references = Number(chain[5]);
      if (this.table) rec.table = this.table;
      this.out.push(rec);
      this.chain = chain[1];
      this.header = undefined;
      this.num = 0;
      return undefined;
    }
    const words = t.trim().split(/\s+/);
    if (words.every((w) => HEADER_WORDS.has(w)) && words.includes('target') && words.includes('destination')) {
      this.header = words;
      return undefined;
    }
    if (!this.chain || !this.header) return 'rule line outside a chain listing';
    return this.rule(l);
  }

  private rule(l: TextLine): string | undefined {
    const toks = [...l.text.matchAll(/\S+/g)].map((m) => ({ w: m[0], end: m.index! + m[0].length }));
    const rule: IptablesRule = { type: 'rule', form: 'list', chain: this.chain!, num: 0, text: '', line: l.line };
    let k = 0;
    let destEnd = -1;
    for (const col of this.header!) {
      const tok = toks[k];
      if (col === 'target') {
        // Blank target: the word here is already the protocol, followed by the opt column.
        if (tok && toks[k + 1] && OPT.test(toks[k + 1]!.w)) continue;
        if (!tok) return 'row is missing its target';
        rule.target = tok.w;
        k++;
        continue;
      }
      if (!tok) return `row is missing its ${col} column`;
      k++;
      switch (col) {
        case 'num':
          if (!/^\d+$/.test(tok.w)) return 'num is not a number';
          rule.num = Number(tok.w);
          break;
        case 'pkts':
        case 'bytes': {
          const c = counter(tok.w);
          if (!c) return `${col} is not a counter`;
          if (col === 'pkts') rule.packets = c.value;
          else rule.bytes = c.value;
          if (c.approx) rule.countersApprox = true;
          break;
        }
        case 'prot':
          if (tok.w.startsWith('!')) {
            rule.protocolNegated = true;
            rule.protocol = protocolName(tok.w.slice(1));
          } else rule.protocol = protocolName(tok.w);
          break;
        case 'opt':
          if (!OPT.test(tok.w)) return `opt column ${JSON.stringify(tok.w)} is not --/-f`;
          break;
        case 'in':
          if (tok.w !== '*') rule.inInterface = tok.w;
          break;
        case 'out':
          if (tok.w !== '*') rule.outInterface = tok.w;
          break;
        case 'source':
          setAddress(rule, 'source', tok.w, false);
          break;
        case 'destination':
          setAddress(rule, 'destination', tok.w, false);
          destEnd = tok.end;
          break;
      }
    }
    if (rule.num === 0) rule.num = this.num + 1;
    this.num = rule.num;
    rule.text = destEnd >= 0 ? l.text.slice(destEnd).trim() : '';
    readExtra(rule.text, rule);
    if (this.table) rule.table = this.table;
    this.out.push(rule);
    return undefined;
  }
}

/** The match text after the destination: `tcp dpt:10250 /* comment *\/ reject-with ...`. */
function readExtra(text: string, rule: IptablesRule): void {
  let rest = text;
  const comment = /\/\* (.*?) \*\//.exec(rest);
  if (comment) {
    rule.comment = comment[1]!;
    rest = rest.replace(comment[0], ' ');
  }
  for (const m of rest.matchAll(/\b(dpts?|spts?):(\S+)/g)) {
    const which = m[1]!.startsWith('d') ? 'dports' : 'sports';
    setPorts(rule, which, [...(rule[which] ?? []), m[2]!]);
  }
  const multi = /\bmultiport (dports|sports|ports) (\S+)/.exec(rest);
  if (multi) {
    const list = multi[2]!.split(',');
    if (multi[1] !== 'sports') setPorts(rule, 'dports', list);
    if (multi[1] !== 'dports') setPorts(rule, 'sports', list);
  }
  const reject = /\breject-with (\S+)/.exec(rest);
  if (reject) rule.rejectWith = reject[1]!;
  const to = /\bto:(\S+)/.exec(rest);
  if (to) {
    if (rule.target === 'SNAT') rule.toSource = to[1]!;
    else rule.toDestination = to[1]!;
  }
  const state = /(!\s+)?\b(?:ctstate|state) (\S+)/.exec(rest);
  if (state) {
    rule.states = state[2]!.split(',');
    if (state[1]) rule.statesNegated = true;
  }
  const prob = /\bprobability (\d*\.\d+|\d+)/.exec(rest);
  if (prob) rule.probability = Number(prob[1]);
}
