// Polling for a change a server makes in its own time (a job, a peer delivery, a restart): one helper for every
// end-to-end test, so each says what it waits for and how long, and a timeout names it.

export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  withinMs?: number
  /** Pause between checks (default 100 ms). */
  everyMs?: number
  /** A check that throws counts as "not yet" instead of failing the wait (a server that is restarting). */
  tolerateErrors?: boolean
  /** Added to the timeout's message (what the servers logged, say). */
  detail?: () => string
}

/**
 * Resolves with the first value `probe` returns other than undefined; throws `timed out waiting for <what>` once
 * `withinMs` has passed without one.
 */
export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, options: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.withinMs ?? 10_000)
  for (;;) {
    const got = options.tolerateErrors ? await Promise.resolve().then(probe).catch(() => undefined) : await probe()
    if (got !== undefined) return got
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${options.detail ? `\n${options.detail()}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 100))
  }
}

/** Waits until `check` holds (as `eventually`); resolves with how long that took, in ms. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, options: WaitOptions = {}): Promise<number> {
  const since = Date.now()
  await eventually(what, async () => ((await check()) ? true : undefined), options)
  return Date.now() - since
}
