// STUB — replaced by the cache helper's store-level change feed (issue 9). Until the caches are merged there
// is nothing to invalidate, so pollNow does nothing and no write is ever announced; the cluster code is
// written against this interface exactly as the issue-9 brief states it, so the real feed plugs in unchanged.

export interface ChangeFeed {
  /** Reads changes committed by any process since the last poll and invalidates caches; synchronous-safe to call at any time. */
  pollNow(): Promise<void>
  /** Called after this process committed a write that others must see. */
  onLocalWrite(listener: () => void): () => void
  close(): void
}

/** The stub: no caches exist yet, so there is never anything to read or announce. */
export function noopChangeFeed(): ChangeFeed {
  return {
    pollNow: async () => undefined,
    onLocalWrite: () => () => undefined,
    close: () => undefined,
  }
}
