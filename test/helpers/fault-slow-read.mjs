// Loaded with `node --import` into the built CLI: streaming reads (position null, the capture
// pass inside its write transaction) of the file whose path ends with PODCAP_SLOW_READ each take
// PODCAP_SLOW_MS, like a slow disk or a capture of many GB, so a second ingest meets a writer
// that holds the case for longer than SQLite's busy timeout.
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const suffix = process.env.PODCAP_SLOW_READ;
const ms = Number(process.env.PODCAP_SLOW_MS ?? 1000);
const open = fsp.open;
Object.defineProperty(fsp, 'open', {
  value: async (path, ...rest) => {
    const fh = await open(path, ...rest);
    if (suffix && String(path).endsWith(suffix)) {
      const read = fh.read.bind(fh);
      fh.read = async (buf, off, len, pos) => {
        if (pos === null) await sleep(ms);
        return read(buf, off, len, pos);
      };
    }
    return fh;
  },
});
syncBuiltinESMExports();
