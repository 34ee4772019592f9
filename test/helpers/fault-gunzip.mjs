// Loaded with `node --import` into the built CLI to reproduce how an ingest can fail to settle:
// every gunzip stream swallows its input and never produces or ends (the shape of the
// pre-37d4fda stall), and with PODCAP_FAULT=reject also leaves a rejection nobody awaits.
import zlib from 'node:zlib';
import { Transform } from 'node:stream';
import { syncBuiltinESMExports } from 'node:module';

// zlib's exports are read-only getters, but configurable.
Object.defineProperty(zlib, 'createGunzip', {
  value: () => {
    if (process.env.PODCAP_FAULT === 'reject') void Promise.reject(new Error('injected fault\nsecond line of a stack'));
    return new Transform({ highWaterMark: 1, transform(_c, _e, _cb) { /* never calls back: a stall */ } });
  },
});
syncBuiltinESMExports();
