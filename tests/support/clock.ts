/** A clock the tests move by hand: "14 days later" takes no time. */
export class TestClock {
  private current: number;
  constructor(start: string | Date = '2024-10-08T02:00:00Z') {
    this.current = new Date(start).getTime();
  }
  now = (): Date => new Date(this.current);
  advanceDays(days: number): void {
    this.current += days * 86_400_000;
  }
  set(at: string | Date): void {
    this.current = new Date(at).getTime();
  }
}
