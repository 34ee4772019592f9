import { readFileSync, writeFileSync } from 'node:fs';

const MAX = 10;

/** Recently opened cases, newest first, kept in a small JSON file in the user-data folder. */
export class RecentCases {
  constructor(private readonly file: string) {}

  list(): string[] {
    try {
      const v: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX) : [];
    } catch {
      return [];
    }
  }

  add(path: string): string[] {
    const next = [path, ...this.list().filter((p) => p !== path)].slice(0, MAX);
    this.save(next);
    return next;
  }

  clear(): void {
    this.save([]);
  }

  private save(list: string[]): void {
    try {
      writeFileSync(this.file, JSON.stringify(list, null, 2));
    } catch {
      /* a read-only profile only loses the list */
    }
  }
}
