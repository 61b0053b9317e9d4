// Grant tokens: opaque, non-secret strings returned by CreateGrant. Each names its grant and carries a
// random nonce, so every CreateGrant call returns a new token while all of a grant's tokens are equivalent.
import { randomBytes } from 'node:crypto'
import type { Store } from '../store/store.js'
import type { KmsError } from '../wire/kms-error.js'
import { protocolErrors } from '../wire/messages.js'

const FORMAT_VERSION = 1
const GRANT_ID_BYTES = 32
const NONCE_BYTES = 16
const TOKEN_BYTES = 1 + GRANT_ID_BYTES + NONCE_BYTES

export function issueGrantToken(grantId: string): string {
  const bytes = Buffer.concat([Buffer.from([FORMAT_VERSION]), Buffer.from(grantId, 'hex'), randomBytes(NONCE_BYTES)])
  return bytes.toString('base64url')
}

/** The grant id a token names, or undefined when the token is not one Trent issued. */
export function grantIdOfToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined
  const bytes = Buffer.from(token, 'base64url')
  if (bytes.length !== TOKEN_BYTES || bytes[0] !== FORMAT_VERSION || bytes.toString('base64url') !== token) return undefined
  return bytes.subarray(1, 1 + GRANT_ID_BYTES).toString('hex')
}

export function invalidGrantToken(): KmsError {
  return protocolErrors.invalidGrantToken()
}

/**
 * Grants take effect at once here (the store is strongly consistent), so tokens add no permission; they
 * are still checked, as AWS does: each must name an existing grant. Throws InvalidGrantTokenException.
 */
export async function requireValidGrantTokens(store: Store, tokens: readonly string[] | undefined): Promise<void> {
  for (const token of tokens ?? []) {
    const grantId = grantIdOfToken(token)
    if (grantId === undefined || !(await store.getGrant(grantId))) throw invalidGrantToken()
  }
}
