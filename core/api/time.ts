/** Epoch seconds as a float (the CLI contract), from stored microseconds. */
export function usToSeconds(us: number | null): number | null {
  return us === null ? null : us / 1e6;
}
