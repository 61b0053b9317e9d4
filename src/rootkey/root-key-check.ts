// Proves at startup that the configured root key is the one the data directory was created with, so a
// wrong TRENT_ROOT_KEY or root.key stops the server instead of failing every request with a retryable 500.
import { randomBytes } from 'node:crypto'
import { KeyWrapError } from '../crypto/key-wrap.js'
import type { Store } from '../store/store.js'
import type { RootKey } from './root-key.js'

/** The setting that exists once a store has keys wrapped under some root key. */
export const CHECK_SETTING = 'root-key-check'
export const CHECK_AAD = new TextEncoder().encode('trent/root-key-check')

export class RootKeyMismatchError extends Error {
  override readonly name = 'RootKeyMismatchError'
}

/**
 * On a new store, records a value wrapped under `rootKey`; later, requires that `rootKey` unwraps it.
 * The wrapped value is random: only its authentication matters. Throws RootKeyMismatchError when the
 * key differs (the message names where the key came from, never its bytes).
 */
export async function verifyRootKey(store: Store, rootKey: RootKey): Promise<void> {
  let stored = await store.getSetting(CHECK_SETTING)
  if (stored === undefined) {
    const proposed = Buffer.from(await rootKey.wrap(randomBytes(32), CHECK_AAD)).toString('base64')
    // getOrInitSetting keeps the first writer's value, so two first starts agree on one check value.
    stored = await store.getOrInitSetting(CHECK_SETTING, proposed)
    if (stored === proposed) return
  }
  await requireCheckValueOpens(stored, rootKey)
}

/** Throws RootKeyMismatchError unless `rootKey` unwraps the stored check value (base64). */
export async function requireCheckValueOpens(stored: string, rootKey: RootKey): Promise<void> {
  try {
    await rootKey.unwrap(new Uint8Array(Buffer.from(stored, 'base64')), CHECK_AAD)
  } catch (e) {
    if (!(e instanceof KeyWrapError)) throw e
    throw new RootKeyMismatchError(
      `the root key from ${rootKey.description} is not the root key this data directory was created with; ` +
        'start with the original root key (TRENT_ROOT_KEY or the root.key file)',
    )
  }
}
