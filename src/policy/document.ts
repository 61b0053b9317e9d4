// The parsed form of a policy document, as the evaluator reads it. parse.ts builds it once per policy
// text; nothing here refers to the store, HTTP or the wire.
import type { ConditionOperator } from './condition-operators.js'

export type Effect = 'Allow' | 'Deny'

/** Which kind of policy a document is: key policies name principals, identity policies must not. */
export type PolicyKind = 'resource' | 'identity'

export type PrincipalEntry =
  | { kind: 'any' }
  /** An account id or `arn:aws:iam::<acct>:root`: the account, which delegates to its identity policies. */
  | { kind: 'account'; accountId: string }
  /**
   * A user, role or assumed-role session ARN. A role ARN also matches that role's sessions. The ARN
   * matches only through the unique id it was bound to when the policy was stored (PrincipalBindings).
   */
  | { kind: 'arn'; arn: string; session: boolean }
  /** A user's (AIDA…) or role's (AROA…) unique id written directly; a role's id matches its sessions. */
  | { kind: 'id'; id: string }
  /** Service, federated and canonical-user principals: valid, but never a Trent caller. */
  | { kind: 'other'; text: string }

/**
 * What the user and role ARNs of a stored policy or grant were bound to when it was stored: ARN → unique id
 * (AIDA… for a user, the role's AROA… for a role or one of its sessions). An ARN absent from the map
 * named no existing principal then and matches nobody, so a principal re-created under the same name
 * inherits nothing.
 */
export type PrincipalBindings = Readonly<Record<string, string>>

export const NO_BINDINGS: PrincipalBindings = Object.freeze({})

export interface PrincipalSpec {
  /** True for NotPrincipal. */
  negated: boolean
  entries: PrincipalEntry[]
}

export interface MatchList {
  /** True for NotAction / NotResource. */
  negated: boolean
  /** The patterns as written; an empty list (element absent) makes the statement inert. */
  patterns: string[]
}

export interface ConditionClause {
  /** The operator as written, e.g. `ForAnyValue:StringLike`, for explanations. */
  operatorText: string
  operator: ConditionOperator
  qualifier: 'ForAnyValue' | 'ForAllValues' | undefined
  ifExists: boolean
  /** The condition key in lower case (keys are case-insensitive), and as written. */
  key: string
  keyText: string
  values: string[]
}

export interface Statement {
  /** Position in the document, from 0, for explanations when there is no Sid. */
  index: number
  sid?: string
  effect: Effect
  principal?: PrincipalSpec
  actions: MatchList
  resources: MatchList
  conditions: ConditionClause[]
}

/** Request facts a document needs that cost a store read, so the authorizer fetches only those. */
export interface ContextNeeds {
  resourceTags: boolean
  resourceAliases: boolean
  principalTags: boolean
}

export interface PolicyDocument {
  kind: PolicyKind
  version: string
  id?: string
  statements: Statement[]
  needs: ContextNeeds
  /** Policy variables (`${aws:username}`) are substituted only under version 2012-10-17. */
  allowsVariables: boolean
}
