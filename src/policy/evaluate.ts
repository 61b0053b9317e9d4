// Evaluates one policy document against a request: which statement (if any) denies, allows directly,
// or allows through the caller's account (delegation to identity policies). Pure and synchronous.
import { failingClause, type Combine } from './conditions.js'
import { NO_BINDINGS, type MatchList, type PolicyDocument, type PrincipalBindings, type Statement } from './document.js'
import { matchPrincipal, type PrincipalMatch } from './principals.js'
import type { PolicyRequest } from './request.js'
import { hasVariables, referencesAmbiguousKey, substituteVariables } from './variables.js'
import { wildcardMatches } from './wildcard.js'

/** Where a statement lives: the key policy, a named identity policy. */
export type PolicySource = { kind: 'key-policy' } | { kind: 'identity-policy'; name: string; owner: string }

export interface StatementRef {
  source: PolicySource
  index: number
  sid?: string
}

export interface PolicyOutcome {
  deny?: StatementRef
  /** An Allow that names the caller (or "*"), or any Allow in an identity policy. */
  allow?: StatementRef
  /** An Allow whose principal is the caller's account: it holds only if the caller's identity policy allows too. */
  accountAllow?: StatementRef
}

function listMatches(list: MatchList, value: string, ignoreCase: boolean, doc: PolicyDocument, request: PolicyRequest, combine: Combine): boolean {
  let hit = false
  for (const pattern of list.patterns) {
    let text: string | undefined = pattern
    if (doc.allowsVariables && hasVariables(pattern)) {
      // A pattern naming an ambiguous key has no one reading: a Deny applies, an Allow does not.
      if (referencesAmbiguousKey(pattern, request.context)) return combine === 'some'
      text = substituteVariables(pattern, request.context)
    }
    if (text === undefined) continue
    if (text === '*' || wildcardMatches(text, value, ignoreCase)) {
      hit = true
      break
    }
  }
  return list.negated ? !hit && list.patterns.length > 0 : hit
}

/** How the statement applies to the request, or undefined when it does not. `bindings` are the document's (see PrincipalBindings). */
export function statementApplies(st: Statement, doc: PolicyDocument, request: PolicyRequest, bindings: PrincipalBindings = NO_BINDINGS): PrincipalMatch | undefined {
  // Over an ambiguous request a Deny applies when any reading makes it apply, an Allow only when all do.
  const combine: Combine = st.effect === 'Deny' ? 'some' : 'every'
  if (!listMatches(st.actions, request.action, true, doc, request, combine)) return undefined
  if (!listMatches(st.resources, request.resource, false, doc, request, combine)) return undefined
  const match = st.principal ? matchPrincipal(st.principal, request.caller, bindings, st.effect) : 'direct'
  if (match === undefined) return undefined
  if (st.conditions.length > 0 && failingClause(st.conditions, request.context, doc.allowsVariables, combine)) return undefined
  return match
}

function refOf(st: Statement, source: PolicySource): StatementRef {
  return st.sid === undefined ? { source, index: st.index } : { source, index: st.index, sid: st.sid }
}

/** Evaluates every statement; a Deny ends the search, since nothing can outweigh it. */
export function evaluatePolicy(doc: PolicyDocument, request: PolicyRequest, source: PolicySource, bindings: PrincipalBindings = NO_BINDINGS): PolicyOutcome {
  const outcome: PolicyOutcome = {}
  for (const st of doc.statements) {
    const match = statementApplies(st, doc, request, bindings)
    if (match === undefined) continue
    if (st.effect === 'Deny') return { deny: refOf(st, source) }
    if (match === 'direct') outcome.allow ??= refOf(st, source)
    else outcome.accountAllow ??= refOf(st, source)
  }
  return outcome
}
