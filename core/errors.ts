/** Thrown only when a file cannot be what it claimed; everything survivable is a Diagnostic. */
export class PodcapError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly format?: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = 'PodcapError';
  }
}
