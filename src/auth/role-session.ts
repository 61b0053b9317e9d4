// Role sessions: temporary credentials (access key id, secret, session token, expiry) acting as a role.
// The secret is stored wrapped under the root key and the token only as its SHA-256 hash.
import { randomBytes } from 'node:crypto'
import type { RootKey } from '../rootkey/root-key.js'
import type { Store } from '../store/store.js'
import { generateAccessKeyId, generateSecretAccessKey, sessionSecretAad, sessionTokenHash } from './credentials.js'
import { requireIamName, sessionArn, type RoleRecord } from './identities.js'

export const MIN_SESSION_SECONDS = 900
export const MAX_SESSION_SECONDS = 43_200
export const DEFAULT_SESSION_SECONDS = 3_600

export interface SessionCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
  expiration: Date
  /** `arn:aws:sts::<acct>:assumed-role/<role>/<session>`. */
  arn: string
}

/**
 * Mints a session for `role`, valid for `durationSeconds` (900..43200) from `now`. The secret and token
 * are returned once and are not recoverable afterwards. Throws RangeError for a bad name or duration.
 */
export async function createRoleSession(
  store: Store, rootKey: RootKey, role: RoleRecord, sessionName: string, durationSeconds: number, now: Date,
): Promise<SessionCredentials> {
  requireIamName(sessionName, 'session')
  if (!Number.isInteger(durationSeconds) || durationSeconds < MIN_SESSION_SECONDS || durationSeconds > MAX_SESSION_SECONDS) {
    throw new RangeError(`session duration must be ${MIN_SESSION_SECONDS}..${MAX_SESSION_SECONDS} seconds`)
  }
  const accessKeyId = generateAccessKeyId('ASIA')
  const secretAccessKey = generateSecretAccessKey()
  const sessionToken = randomBytes(120).toString('base64')
  const expiration = new Date(now.getTime() + durationSeconds * 1000)
  const wrappedSecret = await rootKey.wrap(new TextEncoder().encode(secretAccessKey), sessionSecretAad(accessKeyId))
  await store.insertRoleSession({
    accessKeyId, accountId: role.accountId, roleArn: role.arn, roleId: role.roleId, sessionName, wrappedSecret,
    tokenHash: sessionTokenHash(sessionToken), createdAt: now, expiresAt: expiration,
  })
  return { accessKeyId, secretAccessKey, sessionToken, expiration, arn: sessionArn(role.accountId, role.roleName, sessionName) }
}
