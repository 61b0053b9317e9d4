// Which principals a key policy names that do not exist in the store. AWS rejects such a policy with
// MalformedPolicyDocumentException; "*", service principals and existing accounts and identities pass.
import type { PolicyDocument } from '../policy/document.js'
import type { Store } from '../store/store.js'
import { parseIamArn } from './identities.js'

/** True when `arn` names an existing account root, user, role or a session of an existing role. */
export async function principalArnExists(store: Store, arn: string): Promise<boolean> {
  const parsed = parseIamArn(arn)
  if (!parsed) return false
  if (!(await store.getAccount(parsed.accountId))) return false
  switch (parsed.kind) {
    case 'root': return true
    case 'user': return (await store.getUser(parsed.accountId, parsed.name))?.arn === arn
    case 'role': return (await store.getRole(parsed.accountId, parsed.name))?.arn === arn
    case 'session': return (await store.getRole(parsed.accountId, parsed.roleName)) !== undefined
  }
}

/** The named principals (account ids and ARNs) of `doc` that do not exist, in order of appearance. */
export async function unknownPrincipals(store: Store, doc: PolicyDocument): Promise<string[]> {
  const checked = new Map<string, boolean>()
  const missing: string[] = []
  for (const st of doc.statements) {
    for (const entry of st.principal?.entries ?? []) {
      const name = entry.kind === 'account' ? entry.accountId : entry.kind === 'arn' ? entry.arn : undefined
      if (name === undefined || checked.has(name)) continue
      const exists = entry.kind === 'account' ? (await store.getAccount(entry.accountId)) !== undefined : await principalArnExists(store, name)
      checked.set(name, exists)
      if (!exists) missing.push(name)
    }
  }
  return missing
}
