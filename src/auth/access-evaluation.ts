// Gathers what a decision needs from the store — identity policies, key tags and aliases, principal tags,
// grants — and asks the pure evaluator. Store reads are limited to what the policies in play refer to.
import type { KeyRecord, Tag } from '../keys/key.js'
import type { AuthorizationContext } from '../operations/operation.js'
import { decide, type NamedPolicy, type Verdict } from '../policy/decide.js'
import type { ContextNeeds, PolicyDocument, PrincipalBindings } from '../policy/document.js'
import type { PolicyCache } from '../policy/policy-cache.js'
import type { Store } from '../store/store.js'
import type { RequestFacts } from './authorizer.js'
import { buildPolicyRequest, type LoadedFacts } from './policy-request.js'
import { rootArn, type Principal } from './principal.js'

export interface AccessInput {
  principal: Principal
  key: KeyRecord | null
  action: string
  conditions: AuthorizationContext
  facts: RequestFacts
  /** Evaluate this key policy, with its bindings, instead of the key's own (the lockout safety check). */
  keyPolicy?: { text: string; bindings: PrincipalBindings }
  /** Consider grants (false for the lockout check, which asks about the policy alone). */
  useGrants?: boolean
  /** The key's tags, for a key not stored yet (the lockout check of CreateKey). */
  keyTags?: readonly Tag[]
}

const NOTHING: PolicyDocument = {
  kind: 'resource', version: '2012-10-17', statements: [], allowsVariables: true,
  needs: { resourceTags: false, resourceAliases: false, principalTags: false },
}

/** The identity whose inline policies apply: a user's own, or a session's role's. Root has none. */
function identityArn(principal: Principal): string | undefined {
  if (principal.type === 'IAMUser') return principal.arn
  return principal.type === 'AssumedRole' ? principal.roleArn : undefined
}

async function loadIdentityPolicies(store: Store, cache: PolicyCache, principal: Principal): Promise<NamedPolicy[]> {
  const owner = identityArn(principal)
  if (owner === undefined) return []
  const out: NamedPolicy[] = []
  for (const p of await store.listIdentityPolicies(owner)) {
    // Stored policies were checked when attached; one that no longer parses grants nothing.
    try {
      out.push({ name: p.policyName, owner, document: cache.parse(p.document, 'identity') })
    } catch { /* skipped: see above */ }
  }
  return out
}

function keyPolicyOf(cache: PolicyCache, text: string): PolicyDocument {
  try {
    return cache.parse(text, 'resource')
  } catch {
    return NOTHING
  }
}

async function loadFacts(store: Store, key: KeyRecord | null, input: AccessInput, needs: ContextNeeds): Promise<LoadedFacts> {
  const loaded: LoadedFacts = {}
  const owner = identityArn(input.principal)
  if (needs.principalTags && owner !== undefined) loaded.principalTags = await store.listPrincipalTags(owner)
  if (key && needs.resourceTags) loaded.keyTags = input.keyTags ?? await store.listTags(key.keyId)
  if (key && needs.resourceAliases) {
    const page = await store.listAliases(key.accountId, key.region, key.keyId, undefined, 51)
    // AWS ignores kms:ResourceAliases for a key with more aliases than its quota of 50.
    if (page.items.length <= 50) loaded.keyAliases = page.items.map((a) => a.aliasName)
  }
  return loaded
}

function combinedNeeds(docs: PolicyDocument[]): ContextNeeds {
  return {
    resourceTags: docs.some((d) => d.needs.resourceTags),
    resourceAliases: docs.some((d) => d.needs.resourceAliases),
    principalTags: docs.some((d) => d.needs.principalTags),
  }
}

/** Up to three grantee ARNs a grant for this caller may name: itself, its role, its account root. */
function granteeCandidates(principal: Principal): string[] {
  return [...new Set([principal.arn, principal.roleArn ?? principal.arn, rootArn(principal.accountId)])]
}

/** Decides whether `input.principal` may perform the action. Reads the store; never writes. */
export async function evaluateAccess(store: Store, cache: PolicyCache, input: AccessInput): Promise<Verdict> {
  const { principal, key, action, conditions } = input
  // The account root has no identity policies: skip the read (the common, benchmarked path).
  const identityPolicies = identityArn(principal) === undefined ? [] : await loadIdentityPolicies(store, cache, principal)
  const keyPolicy = key ? keyPolicyOf(cache, input.keyPolicy?.text ?? key.policy) : undefined
  const keyPolicyBindings = input.keyPolicy ? input.keyPolicy.bindings : key?.policyBindings
  const needs = combinedNeeds([...(keyPolicy ? [keyPolicy] : []), ...identityPolicies.map((p) => p.document)])
  const loaded = needs.principalTags || needs.resourceTags || needs.resourceAliases ? await loadFacts(store, key, input, needs) : {}
  const request = buildPolicyRequest(principal, key, action, conditions, input.facts, loaded)
  const question = {
    request, identityPolicies, grants: [],
    grantUse: { action, encryptionContext: conditions.encryptionContext, childGrant: conditions.childGrant },
    ...(key ? { keyAccountId: key.accountId, keyPolicy, ...(keyPolicyBindings ? { keyPolicyBindings } : {}) } : {}),
    ...(conditions.retiringGrant ? { retiring: conditions.retiringGrant } : {}),
  }
  const verdict = decide(question)
  const explicit = !verdict.allowed && verdict.denial.startsWith('explicit')
  if (verdict.allowed || explicit || !key || input.useGrants === false || conditions.retiringGrant) return verdict
  const grants = await store.listGrantsForGrantees(key.keyId, granteeCandidates(principal))
  return grants.length === 0 ? verdict : decide({ ...question, grants })
}
