// How stored principals read back, as AWS shows them: a user or role ARN whose bound principal has been
// deleted reads as that principal's unique id (AIDA…/AROA…), since it no longer names anyone; a unique id
// written directly reads as the ARN of the identity that has it, while that identity exists.
import type { PolicyCache } from '../policy/policy-cache.js'
import type { PrincipalBindings } from '../policy/document.js'
import type { GrantRecord } from '../policy/grant.js'
import type { Store } from '../store/store.js'
import { parseIamArn } from './identities.js'
import { resolvePrincipalArn } from './principal-existence.js'

/** What a grant's grantee or retiring principal `arn`, bound to `boundId`, reads as now. */
export async function displayedPrincipal(store: Store, arn: string, boundId: string | undefined): Promise<string> {
  const kind = parseIamArn(arn)?.kind
  // Sessions and roots are shown as written; an ARN that bound nothing (gone before the upgrade) has no id to show.
  if (boundId === undefined || (kind !== 'user' && kind !== 'role')) return arn
  return (await resolvePrincipalArn(store, arn))?.uniqueId === boundId ? arn : boundId
}

/** Replacement text for each principal value of the policy that no longer reads as written. */
async function replacementsOf(store: Store, values: Iterable<string>, bindings: PrincipalBindings): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const value of values) {
    if (/^(AIDA|AROA)/.test(value)) {
      const arn = (await store.getIdentityByUniqueId(value))?.arn
      if (arn !== undefined) out.set(value, arn)
      continue
    }
    const shown = await displayedPrincipal(store, value, bindings[value])
    if (shown !== value) out.set(value, shown)
  }
  return out
}

function awsValuesOf(doc: unknown, visit: (holder: Record<string, unknown>) => void): void {
  const statements = (doc as { Statement?: unknown }).Statement
  for (const st of Array.isArray(statements) ? statements : [statements]) {
    if (typeof st !== 'object' || st === null) continue
    for (const element of ['Principal', 'NotPrincipal']) {
      const principal = (st as Record<string, unknown>)[element]
      if (typeof principal === 'object' && principal !== null && !Array.isArray(principal)) visit(principal as Record<string, unknown>)
    }
  }
}

/**
 * The key policy as GetKeyPolicy returns it: the stored text unchanged, unless a principal it names no
 * longer reads as written; then the document re-serialized with those values replaced (Principal and
 * NotPrincipal only, never Conditions).
 */
export async function displayedKeyPolicy(store: Store, cache: PolicyCache, text: string, bindings: PrincipalBindings | undefined): Promise<string> {
  let named: string[]
  try {
    named = cache.parse(text, 'resource').statements.flatMap((st) => st.principal?.entries ?? [])
      .flatMap((e) => (e.kind === 'arn' ? [e.arn] : e.kind === 'id' ? [e.id] : []))
  } catch {
    return text
  }
  if (named.length === 0) return text
  const replacements = await replacementsOf(store, new Set(named), bindings ?? {})
  if (replacements.size === 0) return text
  const doc = JSON.parse(text) as unknown
  const swap = (v: unknown): unknown => (typeof v === 'string' ? replacements.get(v) ?? v : v)
  awsValuesOf(doc, (principal) => {
    const aws = principal.AWS
    if (aws !== undefined) principal.AWS = Array.isArray(aws) ? aws.map(swap) : swap(aws)
  })
  return JSON.stringify(doc, null, 2)
}

/** The grant with its grantee and retiring principal as they read now (for ListGrants, ListRetirableGrants). */
export async function displayedGrant(store: Store, grant: GrantRecord): Promise<GrantRecord> {
  const shown = { ...grant, granteePrincipal: await displayedPrincipal(store, grant.granteePrincipal, grant.granteeUniqueId) }
  if (grant.retiringPrincipal !== undefined) shown.retiringPrincipal = await displayedPrincipal(store, grant.retiringPrincipal, grant.retiringUniqueId)
  return shown
}
