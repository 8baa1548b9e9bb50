import type { Problem, ProblemLevel } from '../core/types.js';

/** Collects one line per repaired or skipped file; the build prints and exports it. */
export class Report {
  readonly problems: Problem[] = [];

  warn(file: string, reason: string): void {
    this.add(file, 'warning', reason);
  }

  skip(file: string, reason: string): void {
    this.add(file, 'skipped', reason);
  }

  private add(file: string, level: ProblemLevel, reason: string): void {
    this.problems.push({ file, level, reason });
  }

  get skipped(): Problem[] {
    return this.problems.filter((p) => p.level === 'skipped');
  }

  get warnings(): Problem[] {
    return this.problems.filter((p) => p.level === 'warning');
  }
}
