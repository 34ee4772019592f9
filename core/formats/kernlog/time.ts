const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

export function monthIndex(name: string): number | undefined {
  return MONTHS[name];
}

/** Wall-clock fields to epoch µs, reading them as UTC; `frac` is the digits after the decimal point. */
export function wallUs(y: number, mo: number, d: number, h: number, mi: number, s: number, frac = ''): number {
  return Date.UTC(y, mo, d, h, mi, s) * 1000 + Number(frac.slice(0, 6).padEnd(6, '0'));
}

const DAY_US = 86_400_000_000;

/**
 * Years for `Jun  6 10:39:16`-style times (syslog, journalctl, klog). The first line takes the
 * bundle's year, or the year before when that would put it in the future (a December log read
 * in January); later lines move to the next year when the month wraps from late to early.
 */
export class YearGuess {
  private year: number | null = null;
  private lastMonth = -1;
  constructor(private readonly baseUs: number) {}

  yearFor(mo: number, d: number, h: number, mi: number, s: number): number {
    if (this.year === null) {
      const y = new Date(this.baseUs / 1000).getUTCFullYear();
      this.year = wallUs(y, mo, d, h, mi, s) > this.baseUs + 2 * DAY_US ? y - 1 : y;
    } else if (mo < this.lastMonth && this.lastMonth - mo >= 6) {
      this.year++;
    }
    this.lastMonth = mo;
    return this.year;
  }
}

export interface IsoTime {
  us: number;
  local: boolean;
  rest: string;
}

/** `2017-06-06T10:39:16.123456+02:00 rest`, `2017-06-06T10:39:16,123456+0000 rest` (dmesg --time-format iso). */
export function parseIsoPrefix(s: string): IsoTime | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)?(?:\s+|$)/.exec(s);
  if (!m) return null;
  let us = wallUs(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7] ?? '');
  if (Number.isNaN(us)) return null;
  const tz = m[8];
  if (tz && tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    const offMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
    us -= sign * offMin * 60_000_000;
  }
  return { us, local: tz === undefined, rest: s.slice(m[0].length) };
}
