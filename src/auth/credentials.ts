// Access keys and role-session credentials: creating them (secrets wrapped under the root key) and
// resolving a signing key id to its principal, plus the session-token check SigV4 leaves to us.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { RootKey } from '../rootkey/root-key.js'
import type { Store } from '../store/store.js'
import { KmsError } from '../wire/kms-error.js'
import { parseIamArn, sessionArn, type RoleSessionRecord } from './identities.js'
import { rootArn, type AccessKeyRecord, type Principal } from './principal.js'

const ACCESS_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** What an access key's wrapped secret is bound to (exported for the root-key migration). */
export function secretAad(accessKeyId: string): Uint8Array {
  return new TextEncoder().encode(`trent/access-key-secret:${accessKeyId}`)
}

/** Session secrets are bound to their own purpose, so neither kind of wrapped secret can stand in for the other. */
export function sessionSecretAad(accessKeyId: string): Uint8Array {
  return new TextEncoder().encode(`trent/role-session-secret:${accessKeyId}`)
}

/** A 20-character id in AWS's shape (`AKIA` or `ASIA` + 16 base32 characters), so tools that check the shape accept it. */
export function generateAccessKeyId(prefix: 'AKIA' | 'ASIA' = 'AKIA'): string {
  const bytes = randomBytes(16)
  let id = prefix
  for (const b of bytes) id += ACCESS_KEY_ALPHABET[b % 32]
  return id
}

/** A 40-character secret, like AWS's. */
export function generateSecretAccessKey(): string {
  return randomBytes(30).toString('base64')
}

/** SHA-256 of a session token, hex: what the store keeps instead of the token. */
export function sessionTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** `principalId` is the owning user's unique id (absent for the account root). */
export async function wrapAccessKey(
  rootKey: RootKey, accountId: string, principalArn: string, accessKeyId: string, secretAccessKey: string, now: Date, principalId?: string,
): Promise<AccessKeyRecord> {
  const wrappedSecret = await rootKey.wrap(new TextEncoder().encode(secretAccessKey), secretAad(accessKeyId))
  const record: AccessKeyRecord = { accessKeyId, accountId, principalArn, wrappedSecret, status: 'Active', createdAt: now }
  if (principalId !== undefined) record.principalId = principalId
  return record
}

export async function createAccessKey(
  store: Store, rootKey: RootKey, accountId: string, principalArn: string, accessKeyId: string, secretAccessKey: string, now: Date,
): Promise<AccessKeyRecord> {
  const record = await wrapAccessKey(rootKey, accountId, principalArn, accessKeyId, secretAccessKey, now)
  await store.insertAccessKey(record)
  return record
}

export interface ResolvedCredential {
  principal: Principal
  secretAccessKey: string
  /** Present for role-session credentials: the request must carry the matching, unexpired token. */
  session?: { tokenHash: string; expiresAt: Date }
}

/** A credential with its secret as bytes (UTF-8), which the caller owns and should zero when done. */
export interface ResolvedSecretCredential extends Omit<ResolvedCredential, 'secretAccessKey'> {
  secret: Uint8Array
}

async function principalFor(store: Store, record: AccessKeyRecord): Promise<Principal | undefined> {
  const base = { accountId: record.accountId, arn: record.principalArn, accessKeyId: record.accessKeyId }
  if (record.principalArn === rootArn(record.accountId)) return { ...base, type: 'Root', principalId: record.accountId }
  const parsed = parseIamArn(record.principalArn)
  if (parsed?.kind !== 'user') return undefined
  const user = await store.getUser(record.accountId, parsed.name)
  // A key whose user was deleted, or re-created under the same name (another unique id), authenticates nobody.
  if (!user || user.arn !== record.principalArn || record.principalId === undefined || user.userId !== record.principalId) return undefined
  return { ...base, type: 'IAMUser', principalId: user.userId, userName: user.userName }
}

async function sessionCredential(store: Store, rootKey: RootKey, session: RoleSessionRecord): Promise<ResolvedSecretCredential | undefined> {
  const parsed = parseIamArn(session.roleArn)
  if (parsed?.kind !== 'role') return undefined
  const role = await store.getRole(session.accountId, parsed.name)
  // Bound to the role's unique id: a session of a deleted role never works for a new role of that name.
  if (!role || role.arn !== session.roleArn || session.roleId === undefined || role.roleId !== session.roleId) return undefined
  const secret = await rootKey.unwrap(session.wrappedSecret, sessionSecretAad(session.accessKeyId))
  const principal: Principal = {
    accountId: session.accountId, arn: sessionArn(session.accountId, role.roleName, session.sessionName), type: 'AssumedRole',
    principalId: `${role.roleId}:${session.sessionName}`, accessKeyId: session.accessKeyId, roleArn: role.arn, sessionName: session.sessionName,
  }
  return { principal, secret, session: { tokenHash: session.tokenHash, expiresAt: session.expiresAt } }
}

/** Resolves an access key id (long-term or session) to its principal and secret bytes, for SigV4 verification only. */
export async function resolveCredentialSecret(store: Store, rootKey: RootKey, accessKeyId: string): Promise<ResolvedSecretCredential | undefined> {
  const record = await store.getAccessKey(accessKeyId)
  if (!record) {
    const session = accessKeyId.startsWith('ASIA') ? await store.getRoleSession(accessKeyId) : undefined
    return session && sessionCredential(store, rootKey, session)
  }
  if (record.status !== 'Active') return undefined
  const principal = await principalFor(store, record)
  if (!principal) return undefined
  return { principal, secret: await rootKey.unwrap(record.wrappedSecret, secretAad(accessKeyId)) }
}

/** Resolves an access key id (long-term or session) to its principal and plaintext secret, for SigV4 verification only. */
export async function lookupCredential(store: Store, rootKey: RootKey, accessKeyId: string): Promise<ResolvedCredential | undefined> {
  const resolved = await resolveCredentialSecret(store, rootKey, accessKeyId)
  if (!resolved) return undefined
  const { secret, ...rest } = resolved
  const secretAccessKey = new TextDecoder().decode(secret)
  secret.fill(0)
  return { ...rest, secretAccessKey }
}

/**
 * Checks X-Amz-Security-Token against the credential: session credentials need their own unexpired token
 * (compared as hashes, in constant time); long-term keys must not carry one. Throws UnrecognizedClientException
 * or ExpiredTokenException, as AWS does.
 */
export function requireValidSessionToken(credential: Pick<ResolvedCredential, 'session'>, token: string | undefined, now: Date): void {
  const invalid = () => new KmsError('UnrecognizedClientException', 'The security token included in the request is invalid.')
  const { session } = credential
  if (!session) {
    if (token !== undefined) throw invalid()
    return
  }
  if (token === undefined) throw invalid()
  const presented = Buffer.from(sessionTokenHash(token), 'hex')
  const stored = Buffer.from(session.tokenHash, 'hex')
  if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) throw invalid()
  if (now.getTime() >= session.expiresAt.getTime()) {
    throw new KmsError('ExpiredTokenException', 'The security token included in the request is expired')
  }
}
