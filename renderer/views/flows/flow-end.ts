import type { FlowOut } from '../../../core/api/contract';
import { fmtEndpoint } from '../../app/format';

/**
 * One side of a flow as text. ICMP has no ports: Zeek stores the type as orig_p and the code as
 * resp_p, and a glued `:143` would read as a port.
 */
export function flowEnd(f: Pick<FlowOut, 'proto' | 'orig_ip' | 'orig_port' | 'resp_ip' | 'resp_port'>, side: 'orig' | 'resp'): string {
  const ip = side === 'orig' ? f.orig_ip : f.resp_ip;
  const port = side === 'orig' ? f.orig_port : f.resp_port;
  if (f.proto === 'icmp') return `${ip} (${side === 'orig' ? 'type' : 'code'} ${port})`;
  return fmtEndpoint(ip, port);
}
