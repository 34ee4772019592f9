import type { RstOut } from '../../../core/api/contract';
import { fileName } from '../../app/format';

/**
 * In the table, one entry per capture file by its name, its interfaces together: full bundle
 * paths repeated per RST made three RSTs fill a page.
 */
export function seenAtShort(seen: RstOut['seen_at']): string {
  const byFile = new Map<string, string[]>();
  for (const s of seen) {
    const ifs = byFile.get(fileName(s.source)) ?? [];
    if (s.interface && !ifs.includes(s.interface)) ifs.push(s.interface);
    byFile.set(fileName(s.source), ifs);
  }
  return [...byFile].map(([f, ifs]) => (ifs.length ? `${f} (${ifs.join(', ')})` : f)).join(' · ');
}
