import { isMaskedIpv4, opt, type DiagnosticSink, type TextLine } from '../node-text/index.js';
import { LINK_HEADER, ONELINE_ADDR } from './sniff.js';
import type { IpAddress, IpInterface } from './types.js';

/** Device kinds `ip -d` prints at the start of the details line. */
const KINDS = new Set(
  (
    'veth vlan vcan vxcan dummy ifb macvlan macvtap bridge bond team ipoib ip6tnl ipip sit vxlan gre gretap erspan ' +
    'ip6gre ip6gretap ip6erspan vti vti6 nlmon ipvlan ipvtap lowpan geneve bareudp vrf macsec netdevsim rmnet xfrm ' +
    'wireguard tun openvswitch hsr amt gtp netkit batadv virt_wifi can'
  ).split(' '),
);
/** Other first words of indented lines that carry nothing podcap uses. */
const IGNORED_DETAIL = /^(valid_lft|addrgenmode|alias|RX:|TX:|RX|TX|prog\/\S+|vf|link-netnsid|\d+\s|\d+$|promiscuity)/;
const ADDR_FLAGS = new Set(
  'secondary primary dynamic noprefixroute nodad tentative deprecated permanent home mngtmpaddr optimistic dadfailed temporary stable-privacy autojoin'.split(
    ' ',
  ),
);

export interface Section {
  netns?: string;
  nsenterPid?: number;
  byIndex: Map<number, IpInterface>;
}

/** Reads the namespace a pasted command line refers to (`ip netns exec ns1 ip link`, `ip -n ns1 ...`). */
export function sectionFromPrompt(text: string): Section {
  const s: Section = { byIndex: new Map() };
  const exec = /\bip\s+netns\s+exec\s+(\S+)/.exec(text) ?? /\bip\s+(?:-\S+\s+)*-n(?:etns)?\s+(\S+)/.exec(text);
  if (exec) s.netns = exec[1]!;
  const ns = /\bnsenter\b.*?(?:-t|--target)\s*(\d+)/.exec(text);
  if (ns) s.nsenterPid = Number(ns[1]);
  return s;
}

export class IpTextReader {
  private cur: IpInterface | undefined;
  section: Section = { byIndex: new Map() };

  constructor(
    private readonly sink: DiagnosticSink,
    private readonly out: IpInterface[],
  ) {}

  newSection(s: Section): void {
    this.section = s;
    this.cur = undefined;
  }

  /** Returns a reason when the line is not part of an ip listing. */
  line(l: TextLine): string | undefined {
    // ip -o joins an interface's lines with a backslash.
    const parts = l.text.split('\\');
    const first = parts[0]!;
    const header = LINK_HEADER.exec(first);
    if (header) {
      this.startInterface(header, l.line);
    } else {
      const oneAddr = ONELINE_ADDR.exec(first);
      if (oneAddr) {
        const iface = this.interfaceFor(Number(oneAddr[1]), oneAddr[2]!, l.line);
        this.cur = iface;
        this.address(iface, oneAddr[3] as 'inet' | 'inet6', oneAddr[4]!, l.line);
      } else if (/^\s/.test(first) && this.cur) {
        const why = this.detail(first.trim(), l.line);
        if (why) return why;
      } else {
        return this.cur ? 'not an interface, address or detail line' : 'line before any interface';
      }
    }
    for (const extra of parts.slice(1)) {
      if (extra.trim() === '' || !this.cur) continue;
      const why = this.detail(extra.trim(), l.line);
      if (why) return why;
    }
    return undefined;
  }

  private startInterface(m: RegExpExecArray, line: number): void {
    const index = Number(m[1]);
    // The same index twice in one listing means a second listing was pasted without a prompt line.
    if (this.section.byIndex.has(index)) this.section = { ...this.section, byIndex: new Map() };
    const iface: IpInterface = { type: 'interface', index, name: m[2]!, flags: m[4]!.split(',').filter((f) => f !== ''), addresses: [], line };
    const at = m[3];
    if (at) {
      const ifN = /^if(\d+)$/.exec(at);
      if (ifN) iface.peerIndex = Number(ifN[1]);
      else if (at !== 'NONE') iface.parent = at;
    }
    const attrs = m[5]!.trim().split(/\s+/);
    for (let i = 0; i < attrs.length - 1; i++) {
      const k = attrs[i]!;
      const v = attrs[i + 1]!;
      if (k === 'mtu' && /^\d+$/.test(v)) iface.mtu = Number(v);
      else if (k === 'state') iface.state = v;
      else if (k === 'master') iface.master = v;
      else continue;
      i++;
    }
    if (this.section.netns) iface.netns = this.section.netns;
    if (this.section.nsenterPid !== undefined) iface.nsenterPid = this.section.nsenterPid;
    this.section.byIndex.set(index, iface);
    this.out.push(iface);
    this.cur = iface;
  }

  private interfaceFor(index: number, name: string, line: number): IpInterface {
    const known = this.section.byIndex.get(index);
    if (known) return known;
    const iface: IpInterface = {
      type: 'interface',
      index,
      name,
      flags: [],
      addresses: [],
      line,
      ...opt('netns', this.section.netns),
      ...opt('nsenterPid', this.section.nsenterPid),
    };
    this.section.byIndex.set(index, iface);
    this.out.push(iface);
    return iface;
  }

  private detail(text: string, line: number): string | undefined {
    const iface = this.cur!;
    const words = text.split(/\s+/);
    const w0 = words[0]!;
    if (w0.startsWith('link/')) {
      iface.linkType = w0.slice(5);
      const mac = words[1];
      if (mac && mac !== 'brd' && /^[0-9a-fx]{2}(:[0-9a-fx]{2})+$/i.test(mac)) {
        iface.mac = mac;
        if (/x/i.test(mac)) this.mask(iface, 'mac', mac, line);
      }
      for (let i = 1; i < words.length - 1; i++) {
        if (words[i] === 'link-netnsid' && /^\d+$/.test(words[i + 1]!)) iface.peerNetnsId = Number(words[i + 1]);
        if (words[i] === 'link-netns') iface.peerNetns = words[i + 1]!;
      }
      return undefined;
    }
    if (w0 === 'inet' || w0 === 'inet6') {
      this.address(iface, w0, words.slice(1).join(' '), line);
      return undefined;
    }
    if (w0 === 'altname' && words[1]) {
      (iface.altnames ??= []).push(words[1]);
      return undefined;
    }
    if (KINDS.has(w0)) {
      iface.kind ??= w0;
      return undefined;
    }
    if (/^[a-z0-9]+_slave$/.test(w0)) {
      iface.slaveKind = w0;
      return undefined;
    }
    if (IGNORED_DETAIL.test(text)) return undefined;
    return 'unknown detail line under an interface';
  }

  private address(iface: IpInterface, family: 'inet' | 'inet6', rest: string, line: number): void {
    const words = rest.trim().split(/\s+/);
    const [address, plen] = (words[0] ?? '').split('/');
    const a: IpAddress = { family, address: address ?? '', line };
    if (plen !== undefined && /^\d+$/.test(plen)) a.prefixLen = Number(plen);
    const flags: string[] = [];
    for (let i = 1; i < words.length; i++) {
      const w = words[i]!;
      const next = words[i + 1];
      if ((w === 'peer' || w === 'brd' || w === 'scope' || w === 'metric' || w === 'proto') && next !== undefined) {
        if (w === 'peer') {
          const [p, pl] = next.split('/');
          a.peer = p!;
          if (pl !== undefined && /^\d+$/.test(pl) && a.prefixLen === undefined) a.prefixLen = Number(pl);
        } else if (w === 'brd') a.broadcast = next;
        else if (w === 'scope') a.scope = next;
        i++;
      } else if (ADDR_FLAGS.has(w)) flags.push(w);
      else if (family === 'inet' && (w === iface.name || w.startsWith(`${iface.name}:`))) a.label = w;
      else if (w === 'valid_lft' || w === 'preferred_lft') i++;
    }
    if (flags.length) a.flags = flags;
    if (isMaskedIpv4(words[0] ?? '') || /x/i.test(a.address) && family === 'inet') {
      a.masked = true;
      this.mask(iface, 'address', words[0] ?? '', line);
    }
    iface.addresses.push(a);
  }

  private mask(iface: IpInterface, field: string, value: string, line: number): void {
    this.sink.masked(line, field, value);
    if (!(iface.masked ??= []).includes(field)) iface.masked.push(field);
  }
}
