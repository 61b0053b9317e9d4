// Time is injected so tests can move it forward (deletion windows, SigV4 skew, audit digests).

export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  private current: number
  constructor(start: Date) {
    this.current = start.getTime()
  }
  now(): Date {
    return new Date(this.current)
  }
  advance(ms: number): void {
    this.current += ms
  }
  set(date: Date): void {
    this.current = date.getTime()
  }
}
