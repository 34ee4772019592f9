/**
 * Times in node-tool dumps. Tables print ages relative to when the command ran ("6 hours ago",
 * "5d3h"); they only become instants when anchored to the bundle/user time (TEXT_NO_DATE).
 * JSON dumps carry RFC 3339 strings or nanosecond epoch strings.
 */
export interface RelativeAge {
  /** Approximate age in seconds (docker/crictl and kubectl both round). */
  seconds: number;
}

const UNIT_SECONDS: Record<string, number> = {
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86400,
  week: 7 * 86400,
  month: 30 * 86400,
  year: 365 * 86400,
};

/** Parses docker/crictl ("About an hour ago", "3 weeks ago") and kubectl ("5d3h", "45s") ages. */
export function parseRelativeAge(text: string): RelativeAge | undefined {
  const t = text.trim().replace(/\s+ago$/i, '');
  if (/^less than a second$/i.test(t)) return { seconds: 0 };
  const about = /^about an? (second|minute|hour)$/i.exec(t);
  if (about) return { seconds: UNIT_SECONDS[about[1]!.toLowerCase()]! };
  const words = /^(\d+) (second|minute|hour|day|week|month|year)s?$/i.exec(t);
  if (words) return { seconds: Number(words[1]) * UNIT_SECONDS[words[2]!.toLowerCase()]! };
  if (/^(\d+[smhdy])+$/.test(t)) {
    let seconds = 0;
    for (const m of t.matchAll(/(\d+)([smhdy])/g)) {
      const unit = { s: 1, m: 60, h: 3600, d: 86400, y: 365 * 86400 }[m[2] as 's' | 'm' | 'h' | 'd' | 'y'];
      seconds += Number(m[1]) * unit;
    }
    return { seconds };
  }
  return undefined;
}

/** RFC 3339 (any fraction length, any offset) or a decimal nanosecond epoch → epoch µs. */
export function parseIsoTimeUs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d{16,20}$/.test(value)) {
    const us = BigInt(value) / 1000n;
    return us > 0n ? Number(us) : undefined;
  }
  const m = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(value.trim());
  if (!m) return undefined;
  const zone = m[3] ? (m[3].toUpperCase() === 'Z' ? 'Z' : m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : 'Z';
  const ms = Date.parse(`${m[1]!.replace(' ', 'T')}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  const fraction = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return ms * 1000 + Number(fraction);
}
