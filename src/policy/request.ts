// What the evaluator is asked about: who, which action, which resource, and the condition context.
// Context keys are stored lower-cased because policy condition keys are case-insensitive. Request data
// whose names differ only in case (encryption-context keys, tag keys) never collapse into one value:
// such a key holds every value as alternatives, and the evaluator takes the safe result over them.

/**
 * A single-valued key that the request supplied more than once, under names that differ only in case
 * (`{"classification": …, "Classification": …}`). Each alternative is one possible reading of the request.
 */
export interface AmbiguousValue {
  readonly alternatives: readonly string[]
}

/** A single-valued key holds a string; a multivalued key (kms:EncryptionContextKeys …) an array. */
export type ContextValue = string | readonly string[] | AmbiguousValue

export function isAmbiguous(value: ContextValue | undefined): value is AmbiguousValue {
  return typeof value === 'object' && !Array.isArray(value)
}

/**
 * Sets `name` (already lower-cased) to `value` from request data; when the name is already set, the key
 * becomes ambiguous and keeps both values rather than letting the last one win.
 */
export function addFoldedValue(map: Map<string, ContextValue>, name: string, value: string): void {
  const existing = map.get(name)
  if (existing === undefined) map.set(name, value)
  else if (typeof existing === 'string') map.set(name, { alternatives: [existing, value] })
  else if (isAmbiguous(existing)) map.set(name, { alternatives: [...existing.alternatives, value] })
  else throw new Error(`context key ${name} is multivalued and cannot be folded`)
}

export interface CallerFacts {
  /** `arn:aws:iam::<acct>:root`, a user ARN or an assumed-role session ARN. */
  arn: string
  accountId: string
  /** For role sessions: the role's ARN, which key policies usually name. */
  roleArn?: string
  /** The unique id of the IAM identity behind the caller: the user's AIDA…, or the session's role's AROA…; none for root. */
  uniqueId?: string
  /** True for the account's root principal, which has the account's full identity authority. */
  isAccountRoot: boolean
}

/** Read access to the condition context; a Map serves, and so does a lazily built one. */
export interface ContextLookup {
  get(key: string): ContextValue | undefined
}

export interface PolicyRequest {
  caller: CallerFacts
  /** `kms:Encrypt`. */
  action: string
  /** The key ARN for key operations; `*` (or an alias ARN) for account-level ones. */
  resource: string
  context: ContextLookup
}

/**
 * Builds a context map from condition keys written in any case. Two entries whose names differ only in
 * case become one ambiguous key, as the request builder makes them.
 */
export function contextOf(entries: Record<string, ContextValue | undefined>): Map<string, ContextValue> {
  const map = new Map<string, ContextValue>()
  for (const [key, value] of Object.entries(entries)) {
    if (value === undefined) continue
    const name = key.toLowerCase()
    if (typeof value === 'string' && map.has(name)) addFoldedValue(map, name, value)
    else map.set(name, value)
  }
  return map
}
