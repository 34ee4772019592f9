import type { TextFormat } from '../text-format.js';
import { parseHubble, sniffHubble } from './reader.js';
import type { HubbleFlow } from './types.js';

export type { HubbleEndpoint, HubbleFlow, HubbleVerdict } from './types.js';

/** Hubble (Cilium) flows: `hubble observe` compact text, `-o json`/`jsonpb`, and the exporter's events.log. */
export const hubbleFormat: TextFormat<'hubble', HubbleFlow> = {
  kind: 'hubble',
  sniff: sniffHubble,
  parse: parseHubble,
};
