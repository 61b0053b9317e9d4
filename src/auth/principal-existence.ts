// Which principals a stored policy or grant names, and what they are bound to. AWS rejects a key policy
// naming a principal that does not exist (MalformedPolicyDocumentException) and binds every user and role
// it names to that principal's unique id when storing it, so a later principal of the same name is
// someone else. "*", service principals and account roots are not bound.
import type { PolicyDocument, PrincipalEntry } from '../policy/document.js'
import type { Store } from '../store/store.js'
import { parseIamArn } from './identities.js'

/** An existing principal, and the unique id a reference to it binds to (none for an account root). */
export interface PrincipalRef {
  uniqueId?: string
}

/**
 * The principal `arn` names now, or undefined when none exists: an account root, a user, a role (bound to
 * its id), or a session of an existing role (bound to the role's id, so a re-created role's sessions differ).
 */
export async function resolvePrincipalArn(store: Store, arn: string): Promise<PrincipalRef | undefined> {
  const parsed = parseIamArn(arn)
  if (!parsed) return undefined
  if (!(await store.getAccount(parsed.accountId))) return undefined
  switch (parsed.kind) {
    case 'root': return {}
    case 'user': {
      const user = await store.getUser(parsed.accountId, parsed.name)
      return user?.arn === arn ? { uniqueId: user.userId } : undefined
    }
    case 'role': {
      const role = await store.getRole(parsed.accountId, parsed.name)
      return role?.arn === arn ? { uniqueId: role.roleId } : undefined
    }
    case 'session': {
      const role = await store.getRole(parsed.accountId, parsed.roleName)
      return role ? { uniqueId: role.roleId } : undefined
    }
  }
}

/** True when `arn` names an existing account root, user, role or a session of an existing role. */
export async function principalArnExists(store: Store, arn: string): Promise<boolean> {
  return (await resolvePrincipalArn(store, arn)) !== undefined
}

export interface BoundPrincipals {
  /** Named principals (account ids, ARNs, unique ids) that do not exist, in order of appearance. */
  missing: string[]
  /** ARN → unique id for every user, role and session ARN the document names (see PrincipalBindings). */
  bindings: Record<string, string>
}

async function bindEntry(store: Store, entry: PrincipalEntry, out: BoundPrincipals): Promise<void> {
  if (entry.kind === 'account') {
    if (!(await store.getAccount(entry.accountId))) out.missing.push(entry.accountId)
  } else if (entry.kind === 'arn') {
    const ref = await resolvePrincipalArn(store, entry.arn)
    if (!ref) out.missing.push(entry.arn)
    else if (ref.uniqueId !== undefined) out.bindings[entry.arn] = ref.uniqueId
  } else if (entry.kind === 'id') {
    if (!(await store.getIdentityByUniqueId(entry.id))) out.missing.push(entry.id)
  }
}

/** Checks that every principal `doc` names exists and binds its user and role ARNs to their unique ids. */
export async function bindPolicyPrincipals(store: Store, doc: PolicyDocument): Promise<BoundPrincipals> {
  const seen = new Set<string>()
  const out: BoundPrincipals = { missing: [], bindings: {} }
  for (const st of doc.statements) {
    for (const entry of st.principal?.entries ?? []) {
      const name = entry.kind === 'account' ? entry.accountId : entry.kind === 'arn' ? entry.arn : entry.kind === 'id' ? entry.id : undefined
      if (name === undefined || seen.has(name)) continue
      seen.add(name)
      await bindEntry(store, entry, out)
    }
  }
  return out
}

/** The named principals (account ids, ARNs and unique ids) of `doc` that do not exist, in order of appearance. */
export async function unknownPrincipals(store: Store, doc: PolicyDocument): Promise<string[]> {
  return (await bindPolicyPrincipals(store, doc)).missing
}
