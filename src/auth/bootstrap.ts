// First start: create the default account and its root access key, once. Later starts reuse them.
import { randomInt } from 'node:crypto'
import type { RootKey } from '../rootkey/root-key.js'
import type { Store } from '../store/store.js'
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

/** Ensures the default account and its root credentials exist. */
export async function bootstrapDefaultAccount(
  store: Store, rootKey: RootKey, now: Date, options: { accountId?: string; credentials?: { accessKeyId: string; secretAccessKey: string } },
): Promise<BootstrapResult> {
  const existing = await store.getSetting('default-account')
  if (existing !== undefined) return { accountId: existing }
  const accountId = options.accountId ?? randomAccountId()
  const supplied = options.credentials
  const credentials = supplied ?? { accessKeyId: generateAccessKeyId(), secretAccessKey: generateSecretAccessKey() }
  await store.insertAccount({ accountId, createdAt: now })
  await createAccessKey(store, rootKey, accountId, rootArn(accountId), credentials.accessKeyId, credentials.secretAccessKey, now)
  // Written last: a crash before this line leaves no marker, and the next start finishes the job.
  await store.getOrInitSetting('default-account', accountId)
  const created = supplied ? { accessKeyId: credentials.accessKeyId } : { accessKeyId: credentials.accessKeyId, generatedSecret: credentials.secretAccessKey }
  return { accountId, created }
}
