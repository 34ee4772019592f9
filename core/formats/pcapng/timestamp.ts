/**
 * pcapng timestamps are 64-bit counts of 1/R seconds. Doubles hold integers only up to 2^53, and a
 * nanosecond epoch is ~2^60, so the common resolutions are split exactly; others go through BigInt.
 */
const TWO32 = 4294967296;

export interface TsOut { us: number; nanoRem: number }

export function unitsToMicros(hi: number, lo: number, unitsPerSec: number, offsetSec: number, out: TsOut): void {
  if (unitsPerSec === 1e6) {
    out.us = hi * TWO32 + lo + offsetSec * 1e6;
    out.nanoRem = 0;
  } else if (unitsPerSec === 1e9) {
    // 2^32 = 4294 * 10^6 + 967296, so ns/1000 = hi*4294000 + (hi*967296 + lo)/1000, all exact.
    const low = hi * 967296 + lo;
    const q = Math.floor(low / 1000);
    out.us = hi * 4294000 + q + offsetSec * 1e6;
    out.nanoRem = low - q * 1000;
  } else {
    const units = (BigInt(hi) << 32n) | BigInt(lo);
    const r = BigInt(Math.round(unitsPerSec));
    const ns = (units * 1_000_000_000n) / r;
    out.us = Number(ns / 1000n) + offsetSec * 1e6;
    out.nanoRem = Number(ns % 1000n);
  }
}

/** if_tsresol: MSB clear = 10^-v seconds, MSB set = 2^-v seconds. */
export function tsresolToUnitsPerSec(v: number): number {
  const exp = v & 0x7f;
  return v & 0x80 ? 2 ** exp : 10 ** exp;
}
