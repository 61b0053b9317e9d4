// The principals half of the storage contract: accounts, IAM users and roles, access keys, inline identity
// policies, principal tags and role sessions. Deleting an identity removes everything that hangs off it.
import type { AccessKeyRecord, AccountRecord } from '../auth/principal.js'
import type { IdentityPolicyRecord, RoleRecord, RoleSessionRecord, UserRecord } from '../auth/identities.js'
import type { Tag } from '../keys/key.js'

export interface PrincipalStore {
  listAccounts(): Promise<AccountRecord[]>
  /**
   * Removes the account with its users, roles, access keys, sessions, identity policies and tags.
   * Returns false when there was no such account. Throws StoreConflictError while the account owns keys.
   */
  deleteAccount(accountId: string): Promise<boolean>

  /** Throws StoreConflictError when the account has a user of that name (names are case-insensitive, as in IAM). */
  insertUser(user: UserRecord): Promise<void>
  getUser(accountId: string, userName: string): Promise<UserRecord | undefined>
  listUsers(accountId: string): Promise<UserRecord[]>
  /** Removes the user with its access keys, identity policies and tags; false when absent. */
  deleteUser(accountId: string, userName: string): Promise<boolean>

  /** Throws StoreConflictError when the account has a role of that name. */
  insertRole(role: RoleRecord): Promise<void>
  getRole(accountId: string, roleName: string): Promise<RoleRecord | undefined>
  listRoles(accountId: string): Promise<RoleRecord[]>
  /** Removes the role with its sessions, identity policies and tags; false when absent. */
  deleteRole(accountId: string, roleName: string): Promise<boolean>
  /** The user (AIDA…) or role (AROA…) with this unique id, in any account; undefined once it is deleted. */
  getIdentityByUniqueId(uniqueId: string): Promise<UserRecord | RoleRecord | undefined>

  /** Throws StoreLimitError when the principal already has `maxPerPrincipal` keys, StoreConflictError on a duplicate id. */
  addAccessKey(key: AccessKeyRecord, maxPerPrincipal: number): Promise<void>
  /** The account's access keys ordered by creation, optionally only one principal's. */
  listAccessKeys(accountId: string, principalArn?: string): Promise<AccessKeyRecord[]>
  setAccessKeyStatus(accessKeyId: string, status: AccessKeyRecord['status']): Promise<boolean>
  deleteAccessKey(accessKeyId: string): Promise<boolean>

  /** Attaches the inline policy, replacing one of the same name. Throws StoreConflictError when no user or role has the ARN. */
  putIdentityPolicy(policy: IdentityPolicyRecord): Promise<void>
  /** The principal's inline policies ordered by name. */
  listIdentityPolicies(principalArn: string): Promise<IdentityPolicyRecord[]>
  deleteIdentityPolicy(principalArn: string, policyName: string): Promise<boolean>

  /** Adds or overwrites tags on a user or role. Throws StoreConflictError when no user or role has the ARN. */
  putPrincipalTags(principalArn: string, tags: Tag[]): Promise<void>
  deletePrincipalTags(principalArn: string, tagKeys: string[]): Promise<void>
  listPrincipalTags(principalArn: string): Promise<Tag[]>

  /** Throws StoreConflictError on a duplicate access key id. */
  insertRoleSession(session: RoleSessionRecord): Promise<void>
  getRoleSession(accessKeyId: string): Promise<RoleSessionRecord | undefined>
}
