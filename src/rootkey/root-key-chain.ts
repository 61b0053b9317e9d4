// The root key a server runs with during a root-key migration: new material is wrapped by the current key,
// and material still wrapped by a previous key (TRENT_ROOT_KEY_PREVIOUS) keeps unwrapping until
// `trent rootkey migrate` has rewrapped it. The blob's label picks the key; a legacy unlabelled blob is tried
// against each key that may have written one.
import { KeyWrapError } from '../crypto/key-wrap.js'
import { readBlobLabel } from './labelled-blob.js'
import type { RootKey } from './root-key.js'

/** `current` when there is no previous key; otherwise a RootKey that wraps with `current` and unwraps with either. */
export function rootKeyChain(current: RootKey, previous: RootKey[]): RootKey {
  if (previous.length === 0) return current
  const all = [current, ...previous]
  return {
    id: current.id,
    description: `${current.description} (previous: ${previous.map((k) => k.description).join(', ')})`,
    wrap: (material, aad) => current.wrap(material, aad),
    async unwrap(wrapped, aad) {
      const { rootKeyId } = readBlobLabel(wrapped)
      if (rootKeyId !== undefined) {
        const owner = all.find((k) => k.id === rootKeyId)
        if (!owner) throw new KeyWrapError('wrapped key material was wrapped by an unknown root key')
        return owner.unwrap(wrapped, aad)
      }
      for (const key of all) {
        try {
          return await key.unwrap(wrapped, aad)
        } catch (e) {
          if (!(e instanceof KeyWrapError)) throw e
        }
      }
      throw new KeyWrapError('wrapped key material failed authentication')
    },
    async probe() {
      for (const key of all) await key.probe()
    },
    async close() {
      for (const key of all) await key.close()
    },
  }
}
