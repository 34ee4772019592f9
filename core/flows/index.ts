export { ConnTracker, type TrackerOptions, type TrackerStats } from './tracker.js';
export { natPeers, type NatPair, type NatPeerOptions } from './nat-peers.js';
export { connKey, flowLabel, recordKey } from './conn-key.js';
export { ZEEK_TIMEOUTS, type FlowTimeouts } from './timeouts.js';
export type { ConnProto, ConnRecord, ConnState, IcmpErrorRef, RstEvent, Sighting } from './types.js';
