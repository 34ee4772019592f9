import type { TextParseContext, TextParseResult } from '../text-format.js';
import {
  DiagnosticSink,
  arr,
  isPromptLine,
  num,
  obj,
  opt,
  readJsonDocuments,
  splitLines,
  str,
} from '../node-text/index.js';
import { IpTextReader, sectionFromPrompt } from './text.js';
import type { IpAddress, IpInterface, IpLinkRecord } from './types.js';

export function parseIpLink(text: string, ctx: TextParseContext): TextParseResult<IpLinkRecord> {
  const sink = new DiagnosticSink(ctx.source);
  let records: IpLinkRecord[];
  if (/^\s*\d+\s*$/.test(text)) {
    records = [{ type: 'iflink', ifindex: Number(text.trim()), line: 1 + (text.match(/^\s*\n/g)?.length ?? 0) }];
  } else if (/^\s*\[/.test(text) && !isPromptLine(text.slice(0, text.indexOf('\n') >>> 0))) {
    // `ip -j` output is a JSON array; `[root@host ~]# ip addr` (the RHEL prompt) is not
    records = readJson(text, sink);
  } else {
    records = readText(text, sink);
  }
  return { records, diagnostics: sink.finish() };
}

function readText(text: string, sink: DiagnosticSink): IpInterface[] {
  const out: IpInterface[] = [];
  const reader = new IpTextReader(sink, out);
  const { lines, endsWithNewline } = splitLines(text);
  lines.forEach((l, i) => {
    if (l.text.trim() === '') return;
    if (isPromptLine(l.text)) {
      reader.newSection(sectionFromPrompt(l.text));
      return;
    }
    const why = reader.line(l);
    if (why) sink.rejectLine(l.line, l.text, why, i === lines.length - 1 && !endsWithNewline);
  });
  return out;
}

function readJson(text: string, sink: DiagnosticSink): IpInterface[] {
  const out: IpInterface[] = [];
  const res = readJsonDocuments(text);
  for (const doc of res.documents) {
    if (!Array.isArray(doc.value)) {
      sink.malformed(doc.line, '{…}', 'ip -j prints an array of interfaces');
      continue;
    }
    doc.value.forEach((raw, i) => {
      const line = doc.elementLines.get('')?.[i] ?? doc.line;
      const o = obj(raw);
      const index = num(o.ifindex);
      const name = str(o.ifname);
      if (index === undefined || name === undefined) {
        sink.malformed(line, JSON.stringify(raw).slice(0, 200), 'interface without ifindex/ifname');
        return;
      }
      const info = obj(o.linkinfo);
      const linkType = str(o.link_type);
      const iface: IpInterface = {
        type: 'interface',
        index,
        name,
        flags: arr(o.flags).filter((f): f is string => typeof f === 'string'),
        addresses: arr(o.addr_info).map((a) => jsonAddress(obj(a), line)),
        line,
        ...opt('peerIndex', num(o.link_index)),
        ...opt('parent', str(o.link)),
        ...opt('peerNetnsId', num(o.link_netnsid)),
        ...opt('mtu', num(o.mtu)),
        ...opt('state', str(o.operstate)),
        ...opt('master', str(o.master)),
        ...opt('mac', linkType === 'ether' || linkType === 'loopback' ? str(o.address) : undefined),
        ...opt('linkType', linkType),
        ...opt('kind', str(info.info_kind)),
        ...opt('slaveKind', str(info.info_slave_kind) ? `${str(info.info_slave_kind)}_slave` : undefined),
      };
      const altnames = arr(o.altnames).filter((n): n is string => typeof n === 'string');
      if (altnames.length) iface.altnames = altnames;
      out.push(iface);
    });
  }
  if (res.truncated) sink.truncated(splitLines(text).lines.length, 'the JSON ends mid-array; complete interfaces before the cut were kept');
  if (res.error) sink.add('TEXT_BAD_JSON', res.error.message, res.error.line);
  return out;
}

function jsonAddress(a: Record<string, unknown>, line: number): IpAddress {
  const family = str(a.family) === 'inet6' ? 'inet6' : 'inet';
  const flags = ['secondary', 'dynamic', 'noprefixroute', 'nodad', 'tentative', 'deprecated', 'temporary', 'mngtmpaddr'].filter(
    (f) => a[f] === true,
  );
  return {
    family,
    address: str(a.local) ?? '',
    line,
    ...opt('prefixLen', num(a.prefixlen)),
    ...opt('peer', str(a.address)),
    ...opt('broadcast', str(a.broadcast)),
    ...opt('scope', str(a.scope)),
    ...opt('label', str(a.label)),
    ...(flags.length ? { flags } : {}),
  };
}
