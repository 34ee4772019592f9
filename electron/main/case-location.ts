import { basename, dirname, extname, join } from 'node:path';

/**
 * Where a new case is offered to be saved: beside the bundle, named after it
 * (`/incident/bundle.tar.gz` → `/incident/bundle.case.db`; a folder `/incident/node-1` →
 * `/incident/node-1.case.db`).
 */
export function defaultCasePath(firstInput: string): string {
  let name = basename(firstInput);
  for (const ext of ['.tar.gz', '.tgz', '.tar', '.zip', '.gz', '.pcapng', '.pcap']) {
    if (name.toLowerCase().endsWith(ext)) { name = name.slice(0, -ext.length); break; }
  }
  if (name === basename(firstInput) && extname(name) !== '') name = name.slice(0, -extname(name).length);
  return join(dirname(firstInput), `${name || 'podcap'}.case.db`);
}
