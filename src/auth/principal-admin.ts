// Administration of principals, as the `trent` CLI (and test setup) performs it: accounts, users, roles,
// access keys and inline identity policies, with IAM's rules (names, at most two access keys each).
import { randomAccountId } from './bootstrap.js'
import { PolicyGrammarError, parsePolicy } from '../policy/parse.js'
import type { Tag } from '../keys/key.js'
import type { RootKey } from '../rootkey/root-key.js'
import { StoreConflictError, StoreLimitError, type Store } from '../store/store.js'
import { generateAccessKeyId, generateSecretAccessKey, wrapAccessKey } from './credentials.js'
import { generateUniqueId, parseIamArn, requireIamName, requireIamPath, roleArnOf, userArn, type RoleRecord, type UserRecord } from './identities.js'
import { rootArn, type AccountRecord } from './principal.js'

export const MAX_ACCESS_KEYS_PER_PRINCIPAL = 2
/** IAM's limit for a role's inline policy document; applied to users too. */
export const MAX_IDENTITY_POLICY_CHARS = 10_240

/** A request the store or IAM's rules refuse; the message is fit to show the operator. */
export class AdminError extends Error {
  override readonly name = 'AdminError'
}

async function translate<T>(work: Promise<T>, conflict: string): Promise<T> {
  try {
    return await work
  } catch (e) {
    if (e instanceof StoreConflictError) throw new AdminError(conflict)
    throw e
  }
}

async function requireAccount(store: Store, accountId: string): Promise<void> {
  if (!(await store.getAccount(accountId))) throw new AdminError(`account ${accountId} does not exist`)
}

export async function createAccount(store: Store, accountId: string | undefined, now: Date): Promise<AccountRecord> {
  const id = accountId ?? randomAccountId()
  const account = { accountId: id, createdAt: now }
  await translate(store.insertAccount(account), `account ${id} already exists`)
  return account
}

export async function createUser(store: Store, accountId: string, userName: string, path: string, now: Date): Promise<UserRecord> {
  requireIamName(userName, 'user')
  requireIamPath(path)
  await requireAccount(store, accountId)
  const user: UserRecord = { accountId, userName, path, userId: generateUniqueId('AIDA'), arn: userArn(accountId, path, userName), createdAt: now }
  await translate(store.insertUser(user), `user ${userName} already exists in account ${accountId}`)
  return user
}

export async function createRole(store: Store, accountId: string, roleName: string, path: string, now: Date): Promise<RoleRecord> {
  requireIamName(roleName, 'role')
  requireIamPath(path)
  await requireAccount(store, accountId)
  const role: RoleRecord = { accountId, roleName, path, roleId: generateUniqueId('AROA'), arn: roleArnOf(accountId, path, roleName), createdAt: now }
  await translate(store.insertRole(role), `role ${roleName} already exists in account ${accountId}`)
  return role
}

/** The unique id a new access key of `principalArn` binds to: none for the account root, the user's id for a user. */
async function accessKeyOwnerId(store: Store, accountId: string, principalArn: string): Promise<string | undefined> {
  if (principalArn === rootArn(accountId)) return undefined
  const parsed = parseIamArn(principalArn)
  const user = parsed?.kind === 'user' && parsed.accountId === accountId ? await store.getUser(accountId, parsed.name) : undefined
  if (!user || user.arn !== principalArn) throw new AdminError(`${principalArn} is not the account root or an existing user of account ${accountId}`)
  return user.userId
}

/**
 * Creates an active access key for the account root (no user) or a user, bound to the user's unique id;
 * the secret is returned only here.
 */
export async function issueAccessKey(
  store: Store, rootKey: RootKey, accountId: string, principalArn: string, now: Date,
): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  await requireAccount(store, accountId)
  const ownerId = await accessKeyOwnerId(store, accountId, principalArn)
  const accessKeyId = generateAccessKeyId()
  const secretAccessKey = generateSecretAccessKey()
  const record = await wrapAccessKey(rootKey, accountId, principalArn, accessKeyId, secretAccessKey, now, ownerId)
  try {
    await store.addAccessKey(record, MAX_ACCESS_KEYS_PER_PRINCIPAL)
  } catch (e) {
    if (e instanceof StoreLimitError) throw new AdminError(`${principalArn} already has ${MAX_ACCESS_KEYS_PER_PRINCIPAL} access keys; delete one first`)
    throw e
  }
  return { accessKeyId, secretAccessKey }
}

/** Attaches (or replaces) an inline identity policy after checking its grammar. */
export async function putIdentityPolicy(store: Store, principalArn: string, policyName: string, document: string, now: Date): Promise<void> {
  if (!/^[\w+=,.@-]{1,128}$/.test(policyName)) throw new AdminError('policy names are 1-128 characters of letters, digits and +=,.@_-')
  if (document.length > MAX_IDENTITY_POLICY_CHARS) throw new AdminError(`identity policies are limited to ${MAX_IDENTITY_POLICY_CHARS} characters`)
  try {
    parsePolicy(document, 'identity')
  } catch (e) {
    if (e instanceof PolicyGrammarError) throw new AdminError(`malformed policy: ${e.message}`)
    throw e
  }
  await translate(store.putIdentityPolicy({ principalArn, policyName, document, updatedAt: now }), `${principalArn} does not exist`)
}

/** Adds or overwrites tags on an existing user or role; throws AdminError when it no longer exists. */
export async function putPrincipalTags(store: Store, principalArn: string, tags: Tag[]): Promise<void> {
  await translate(store.putPrincipalTags(principalArn, tags), `${principalArn} does not exist`)
}

/** The user or role an option pair names; throws AdminError when it does not exist. */
export async function findIdentity(store: Store, accountId: string, target: { user?: string; role?: string }): Promise<UserRecord | RoleRecord> {
  if ((target.user === undefined) === (target.role === undefined)) throw new AdminError('name exactly one of --user or --role')
  const found = target.user !== undefined ? await store.getUser(accountId, target.user) : await store.getRole(accountId, target.role!)
  if (!found) throw new AdminError(`${target.user !== undefined ? `user ${target.user}` : `role ${target.role}`} does not exist in account ${accountId}`)
  return found
}
