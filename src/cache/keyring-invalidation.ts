// Carries material changes from the feed to the keyring: a version rewrapped or deleted, or a key
// destroyed, by this process or another, makes the keyring (and the crypto workers) forget the key's
// material through the one forget path. New versions need nothing: the keyring never caches an absence.
import type { Keyring } from '../keys/keyring.js'
import type { ChangeRow } from '../store/change-store.js'
import type { ChangeSubscriber } from './change-feed.js'

export function keyringSubscriber(keyring: Keyring): ChangeSubscriber {
  return {
    async onChange(change: ChangeRow) {
      if ((change.kind === 'key_version' && change.op !== 'I') || (change.kind === 'key' && change.op === 'D')) {
        await keyring.forget(change.entity)
      }
    },
    async onReset() {
      await keyring.forgetAll()
    },
  }
}
