// What the evaluator is asked about: who, which action, which resource, and the condition context.
// Context keys are stored lower-cased because policy condition keys are case-insensitive.

/** A single-valued key holds a string; a multivalued key (kms:EncryptionContextKeys …) an array. */
export type ContextValue = string | readonly string[]

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

/** Builds a context map from condition keys written in any case. */
export function contextOf(entries: Record<string, ContextValue | undefined>): Map<string, ContextValue> {
  const map = new Map<string, ContextValue>()
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) map.set(key.toLowerCase(), value)
  return map
}
