/**
 * Masked values: runbooks and support tickets often redact values by hand (`3xxx9`, `10.x.x.x`,
 * `6b5xxxxb`, `2xxxf...`). They keep the shape of the value but cannot be matched against
 * anything, so readers keep them verbatim, flag them, and emit TEXT_MASKED_VALUE.
 */

/** A hex id (container/sandbox id) with redaction marks: `x` is not a hex digit, `...`/`…` cut it. */
export function isMaskedHexId(value: string): boolean {
  if (!/^[0-9a-fx*]+(?:\.{2,}|…)?$/i.test(value)) return false;
  return /[x*]/i.test(value) || /(\.{2,}|…)$/.test(value);
}

/** A dotted IPv4 address or prefix with redacted octets (`10.x.x.x`, `20.x.x.x/16`, stars as well). */
export function isMaskedIpv4(value: string): boolean {
  const m = /^([^./:]+)\.([^./:]+)\.([^./:]+)\.([^./:]+?)(?:\/\d+)?(?::[\dx*]+)?$/i.exec(value);
  if (!m) return false;
  const parts = m.slice(1, 5);
  return parts.every((p) => /^(\d{1,3}|[x*]+|\d*[x*]+\d*)$/i.test(p!)) && parts.some((p) => /[x*]/i.test(p!));
}

/** A decimal number with redacted digits (`3xxx9`, `xxxxx3`). */
export function isMaskedNumber(value: string): boolean {
  return /^[\dx*]+$/i.test(value) && /[x*]/i.test(value) && /[\dx]/i.test(value);
}

/** Any of the above: used where a field may hold an id, an address or a number. */
export function isMaskedValue(value: string): boolean {
  return isMaskedHexId(value) || isMaskedIpv4(value) || isMaskedNumber(value);
}
