/** `{ key: value }` when value is defined, else `{}`: keeps optional record fields absent, not undefined. */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
