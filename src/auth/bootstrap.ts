// First start: create the default account and its root access key, once. Later starts reuse them.
import { randomInt } from 'node:crypto'
import type { RootKey } from '../rootkey/root-key.js'
import { StoreConflictError, type Store } from '../store/store.js'
import { createAccessKey, generateAccessKeyId, generateSecretAccessKey } from './credentials.js'
import { rootArn } from './principal.js'

export interface BootstrapResult {
  accountId: string
  /**
   * Present only on the start that created them. `generatedSecret` is set only when Trent generated the secret
   * (to be printed once, never stored in plaintext); an operator-supplied secret is never handed back for echoing.
   */
  created?: { accessKeyId: string; generatedSecret?: string }
}

/** A random 12-digit account id without a leading zero, like AWS's. */
export function randomAccountId(): string {
  let id = String(randomInt(1, 10))
  for (let i = 0; i < 11; i++) id += String(randomInt(0, 10))
  return id
}

const DEFAULT_ACCOUNT = 'default-account'
/** How long a start that lost the first-start race waits for the winner to finish. */
const WINNER_WAIT_MS = 10_000

/**
 * Ensures the default account and its root credentials exist. Several nodes may start at once on a new
 * database: exactly one creates the default account; the others return it without credentials, removing any
 * account of their own they made first (it never became the default, and nobody was told its credentials).
 */
export async function bootstrapDefaultAccount(
  store: Store, rootKey: RootKey, now: Date, options: { accountId?: string; credentials?: { accessKeyId: string; secretAccessKey: string } },
): Promise<BootstrapResult> {
  const existing = await store.getSetting(DEFAULT_ACCOUNT)
  if (existing !== undefined) return { accountId: existing }
  const accountId = options.accountId ?? randomAccountId()
  const supplied = options.credentials
  const credentials = supplied ?? { accessKeyId: generateAccessKeyId(), secretAccessKey: generateSecretAccessKey() }
  let inserted = false
  try {
    await store.insertAccount({ accountId, createdAt: now })
    inserted = true
    await createAccessKey(store, rootKey, accountId, rootArn(accountId), credentials.accessKeyId, credentials.secretAccessKey, now)
  } catch (e) {
    // Another start made the same account id or access key id first: it is finishing the job.
    if (!(e instanceof StoreConflictError)) throw e
    if (inserted) await store.deleteAccount(accountId)
    return { accountId: await awaitWinner(store, e) }
  }
  // Written last: a crash before this line leaves no marker, and the next start finishes the job.
  const winner = await store.getOrInitSetting(DEFAULT_ACCOUNT, accountId)
  if (winner !== accountId) {
    await store.deleteAccount(accountId)
    return { accountId: winner }
  }
  const created = supplied ? { accessKeyId: credentials.accessKeyId } : { accessKeyId: credentials.accessKeyId, generatedSecret: credentials.secretAccessKey }
  return { accountId, created }
}

/** The default account once the start that won records it; rethrows `conflict` when none does in time. */
async function awaitWinner(store: Store, conflict: StoreConflictError): Promise<string> {
  const deadline = Date.now() + WINNER_WAIT_MS
  for (;;) {
    const winner = await store.getSetting(DEFAULT_ACCOUNT)
    if (winner !== undefined) return winner
    if (Date.now() > deadline) throw conflict
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
