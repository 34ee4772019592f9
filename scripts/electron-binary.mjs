// Where Electron's binary is, or why it is not there. The `electron` package downloads its binary
// in an install script; where that script may not run or the download is refused (machines with
// only a package registry), the package is present and the binary is not.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** @returns {{ path: string } | { missing: string }} */
export function electronBinary() {
  try {
    const bin = createRequire(import.meta.url)('electron');
    if (typeof bin === 'string' && existsSync(bin)) return { path: bin };
    return { missing: `Electron's package is installed but its binary is not (${bin})` };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { missing: /Cannot find module/.test(msg) ? 'the optional dependency electron is not installed' : `Electron's binary was not downloaded (${msg.split('\n')[0]})` };
  }
}
