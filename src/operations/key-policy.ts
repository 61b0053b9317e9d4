// Key policy documents: the AWS default policy, the checks every stored policy passes, and the lockout check.
import { allowsFuturePolicyUpdate } from '../auth/lockout.js'
import { bindPolicyPrincipals } from '../auth/principal-existence.js'
import { rootArn } from '../auth/principal.js'
import type { KeyRecord, Tag } from '../keys/key.js'
import { PolicyGrammarError } from '../policy/parse.js'
import { sharedPolicyCache } from '../policy/policy-cache.js'
import type { Store } from '../store/store.js'
import type { KmsError } from '../wire/kms-error.js'
import { policyErrors } from '../wire/messages.js'
import type { OperationContext } from './operation.js'

export const MAX_POLICY_BYTES = 32_768

/** AWS's default key policy, byte for byte in AWS's own layout, so GetKeyPolicy returns what AWS returns. */
export function defaultKeyPolicy(accountId: string): string {
  return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "${rootArn(accountId)}"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`
}

function malformed(message: string): KmsError {
  return policyErrors.malformed(message)
}

/** The shape checks whose wording callers already rely on, before the full grammar. */
function requireDocumentShape(policy: string): void {
  if (Buffer.byteLength(policy, 'utf8') > MAX_POLICY_BYTES) throw malformed(`The key policy exceeds the maximum size of ${MAX_POLICY_BYTES} bytes.`)
  let doc: unknown
  try {
    doc = JSON.parse(policy)
  } catch {
    throw malformed('The key policy is not valid JSON.')
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw malformed('The key policy must be a JSON object.')
  const statement = (doc as Record<string, unknown>).Statement
  if (statement === undefined || (typeof statement !== 'object') || statement === null) throw malformed('The key policy must contain a Statement.')
}

/**
 * Checks a key policy as AWS does before storing it: at most 32 KB, valid JSON, the policy grammar, and
 * only principals that exist ("*" and existing accounts, users and roles). Returns the bindings of its
 * user and role ARNs to their unique ids, which are stored with it. Throws MalformedPolicyDocumentException.
 */
export async function validateKeyPolicy(store: Store, policy: string): Promise<Record<string, string>> {
  requireDocumentShape(policy)
  let bound
  try {
    bound = await bindPolicyPrincipals(store, sharedPolicyCache.parse(policy, 'resource'))
  } catch (e) {
    if (e instanceof PolicyGrammarError) throw malformed(e.message)
    throw e
  }
  if (bound.missing.length > 0) throw malformed('Policy contains a statement with one or more invalid principals.')
  return bound.bindings
}

/** `key` with a new policy and the bindings validateKeyPolicy returned for it (the old bindings dropped). */
export function withKeyPolicy(key: KeyRecord, policy: string, bindings: Record<string, string>): KeyRecord {
  const { policyBindings: _old, ...rest } = key
  return Object.keys(bindings).length > 0 ? { ...rest, policy, policyBindings: bindings } : { ...rest, policy }
}

/**
 * The lockout safety check: unless bypassed, the key's new policy (with the bindings it will be stored
 * with) must still let the caller call PutKeyPolicy, judged with this request's own facts (source IP,
 * time …) as the caller's next request would be. `keyTags` are the tags of a key not stored yet.
 * Throws MalformedPolicyDocumentException.
 */
export async function requireLockoutSafe(ctx: OperationContext, key: KeyRecord, bypass: boolean | undefined, keyTags?: readonly Tag[]): Promise<void> {
  if (bypass === true) return
  const question = {
    principal: ctx.principal, key, policyText: key.policy, bindings: key.policyBindings ?? {}, facts: ctx.requestFacts(), ...(keyTags ? { keyTags } : {}),
  }
  if (!(await allowsFuturePolicyUpdate(ctx.store, question))) {
    throw malformed('The new key policy will not allow you to update the key policy in the future.')
  }
}
