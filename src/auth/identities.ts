// IAM identities of an account: users and roles with their unique ids, inline identity policies, tags
// (aws:PrincipalTag) and role sessions. ARNs follow AWS: user/<path><name>, role/<path><name>.
import { randomBytes } from 'node:crypto'

export interface UserRecord {
  accountId: string
  userName: string
  /** `/` or `/division/team/`: always starts and ends with a slash. */
  path: string
  /** AWS's unique id (`AIDA…`), the value of aws:userid. */
  userId: string
  arn: string
  createdAt: Date
}

export interface RoleRecord {
  accountId: string
  roleName: string
  path: string
  /** `AROA…`; a session's aws:userid is `<roleId>:<sessionName>`. */
  roleId: string
  arn: string
  createdAt: Date
}

/** An inline identity policy attached to a user or role. */
export interface IdentityPolicyRecord {
  principalArn: string
  policyName: string
  document: string
  updatedAt: Date
}

/** Temporary credentials for a role. The secret is stored wrapped, the session token only as a hash. */
export interface RoleSessionRecord {
  accessKeyId: string
  accountId: string
  roleArn: string
  /** The role's unique id when the session was made; the session works only while that role exists. */
  roleId?: string
  sessionName: string
  wrappedSecret: Uint8Array
  /** SHA-256 of the session token, hex. */
  tokenHash: string
  createdAt: Date
  expiresAt: Date
}

const NAME = /^[\w+=,.@-]{1,64}$/
const PATH = /^\/([\x21-\x7e]*\/)?$/
const UNIQUE_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** Throws RangeError unless `name` is a valid IAM user, role or session name (1..64 of `[\w+=,.@-]`). */
export function requireIamName(name: string, what: string): void {
  if (!NAME.test(name)) throw new RangeError(`invalid ${what} name: must be 1-64 characters of letters, digits and +=,.@_-`)
}

/** Throws RangeError unless `path` is `/` or `/a/b/`. */
export function requireIamPath(path: string): void {
  if (path.length > 512 || !PATH.test(path)) throw new RangeError('invalid path: must start and end with / (for example /ops/)')
}

export function userArn(accountId: string, path: string, userName: string): string {
  return `arn:aws:iam::${accountId}:user${path}${userName}`
}

export function roleArnOf(accountId: string, path: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role${path}${roleName}`
}

export function sessionArn(accountId: string, roleName: string, sessionName: string): string {
  return `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`
}

/** An id in AWS's shape: a four-letter prefix (AIDA, AROA, ASIA) and 17 base32 characters. */
export function generateUniqueId(prefix: 'AIDA' | 'AROA' | 'ASIA', length = 21): string {
  let id = prefix
  for (const b of randomBytes(length - prefix.length)) id += UNIQUE_ID_ALPHABET[b % 32]
  return id
}

export type ParsedIamArn =
  | { kind: 'root'; accountId: string }
  | { kind: 'user' | 'role'; accountId: string; name: string; path: string }
  | { kind: 'session'; accountId: string; roleName: string; sessionName: string }

/** Splits an IAM or STS principal ARN; undefined for anything else. */
export function parseIamArn(arn: string): ParsedIamArn | undefined {
  const root = /^arn:aws:iam::(\d{12}):root$/.exec(arn)
  if (root) return { kind: 'root', accountId: root[1]! }
  const identity = /^arn:aws:iam::(\d{12}):(user|role)(\/(?:.*\/)?)([^/]+)$/.exec(arn)
  if (identity) return { kind: identity[2] as 'user' | 'role', accountId: identity[1]!, path: identity[3]!, name: identity[4]! }
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/([^/]+)$/.exec(arn)
  if (session) return { kind: 'session', accountId: session[1]!, roleName: session[2]!, sessionName: session[3]! }
  return undefined
}
