// A root key given as base64 text, typically from the TRENT_ROOT_KEY environment variable.
import { decodeRootKeyBase64, inProcessRootKey, type RootKey } from './root-key.js'

/** Builds a RootKey from base64 of exactly 32 bytes. Throws Error otherwise; the message never echoes the input. */
export function rootKeyFromBase64(b64: string, description: string): RootKey {
  const key = decodeRootKeyBase64(b64)
  if (key === undefined) throw new Error('TRENT_ROOT_KEY must be base64 of exactly 32 bytes')
  const rootKey = inProcessRootKey(key, description)
  key.fill(0)
  return rootKey
}
