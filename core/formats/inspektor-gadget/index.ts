import type { TextFormat } from '../text-format.js';
import { parseInspektorGadget, sniffInspektorGadget } from './reader.js';
import type { IgRecord } from './types.js';

export type { IgGadget, IgRecord } from './types.js';

/** Inspektor Gadget (`kubectl gadget`, `ig`): trace tcp/tcpconnect/network, top tcp, snapshot socket, in columns and JSON. */
export const inspektorGadgetFormat: TextFormat<'inspektor-gadget', IgRecord> = {
  kind: 'inspektor-gadget',
  sniff: sniffInspektorGadget,
  parse: parseInspektorGadget,
};
