// LISTEN/NOTIFY for the change feed: the change triggers NOTIFY channel trent_changes with their schema's
// name, and this one dedicated connection (outside the pool) LISTENs, so a node's caches hear of another
// node's write within milliseconds instead of at its next poll. Only a wake-up: the poll stays the
// guarantee (a lost connection or a missed notification costs at most one poll period), so errors here are
// never surfaced, only retried with a growing pause.
import pg from 'pg'
import type { PostgresOptions } from './pool.js'

const CHANNEL = 'trent_changes'
const RETRY_MIN_MS = 200
const RETRY_MAX_MS = 5_000

export interface ChangeNotifier {
  /** Calls `listener` whenever a write to this schema's cached tables commits anywhere. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void
  close(): Promise<void>
}

export function changeNotifier(options: PostgresOptions): ChangeNotifier {
  const listeners = new Set<() => void>()
  let client: pg.Client | undefined
  let closed = false
  let retryMs = RETRY_MIN_MS
  let timer: NodeJS.Timeout | undefined

  const notify = () => {
    for (const l of [...listeners]) l()
  }
  const retry = () => {
    client = undefined
    if (closed || listeners.size === 0) return
    timer = setTimeout(() => {
      timer = undefined
      void connect()
    }, retryMs)
    timer.unref()
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS)
  }
  const connect = async () => {
    const c = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: 5_000 })
    client = c
    c.on('error', () => {
      void c.end().catch(() => undefined)
      if (client === c) retry()
    })
    try {
      await c.connect()
      const schema = options.schema ?? ((await c.query('SELECT current_schema() AS s')).rows[0] as { s: string }).s
      c.on('notification', (n) => { if (n.channel === CHANNEL && n.payload === schema) notify() })
      await c.query(`LISTEN ${CHANNEL}`)
      if (closed) await c.end()
      retryMs = RETRY_MIN_MS
      // Writes committed while no connection listened were announced to nobody: tell the listeners to look.
      notify()
    } catch {
      await c.end().catch(() => undefined)
      if (client === c) retry()
    }
  }
  return {
    subscribe(listener) {
      listeners.add(listener)
      if (!client && !timer && !closed) void connect()
      return () => listeners.delete(listener)
    },
    async close() {
      closed = true
      if (timer) clearTimeout(timer)
      await client?.end().catch(() => undefined)
    },
  }
}
