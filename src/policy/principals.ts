// Principal and NotPrincipal: parsing the element's grammar and matching a caller against it.
// A 12-digit account id and `arn:aws:iam::<acct>:root` both mean the account, which delegates to the
// account's identity policies; "*" means everyone; user, role and session ARNs name one identity, and
// match through the unique id they were bound to when stored, as in AWS (a re-created name is someone else).
import type { PrincipalBindings, PrincipalEntry, PrincipalSpec } from './document.js'
import type { CallerFacts } from './request.js'

/** Thrown for a Principal element that is not well formed. */
export class PrincipalGrammarError extends Error {
  override readonly name = 'PrincipalGrammarError'
}

const ACCOUNT_ID = /^\d{12}$/
const ROOT_ARN = /^arn:aws:iam::(\d{12}):root$/
const IDENTITY_ARN = /^arn:aws:iam::\d{12}:(user|role)\/([\w+=,.@-]+\/)*[\w+=,.@-]+$/
const SESSION_ARN = /^arn:aws:sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+$/
const UNIQUE_ID = /^(AIDA|AROA)[A-Z0-9]{17}$/
const FEDERATED_ARN = /^arn:aws:sts::\d{12}:federated-user\/[\w+=,.@-]+$/

/** Parses one `AWS` principal value; throws PrincipalGrammarError for anything else (wildcards included). */
export function parseAwsPrincipal(text: string): PrincipalEntry {
  if (text === '*') return { kind: 'any' }
  if (ACCOUNT_ID.test(text)) return { kind: 'account', accountId: text }
  const root = ROOT_ARN.exec(text)
  if (root) return { kind: 'account', accountId: root[1]! }
  if (IDENTITY_ARN.test(text)) return { kind: 'arn', arn: text, session: false }
  if (SESSION_ARN.test(text)) return { kind: 'arn', arn: text, session: true }
  if (UNIQUE_ID.test(text)) return { kind: 'id', id: text }
  if (FEDERATED_ARN.test(text)) return { kind: 'other', text }
  throw new PrincipalGrammarError(`invalid principal: ${text}`)
}

function valuesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0 || !list.every((v): v is string => typeof v === 'string' && v !== '')) {
    throw new PrincipalGrammarError('principal values must be non-empty strings')
  }
  return list
}

/** Parses a Principal or NotPrincipal element value. */
export function parsePrincipalElement(value: unknown, negated: boolean): PrincipalSpec {
  if (value === '*') return { negated, entries: [{ kind: 'any' }] }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PrincipalGrammarError('Principal must be "*" or an object')
  }
  const entries: PrincipalEntry[] = []
  for (const [type, raw] of Object.entries(value)) {
    const values = valuesOf(raw)
    if (type === 'AWS') entries.push(...values.map(parseAwsPrincipal))
    else if (type === 'Service' || type === 'Federated' || type === 'CanonicalUser') {
      entries.push(...values.map((text): PrincipalEntry => (text === '*' ? { kind: 'any' } : { kind: 'other', text })))
    } else throw new PrincipalGrammarError(`unknown principal type ${type}`)
  }
  if (entries.length === 0) throw new PrincipalGrammarError('Principal names no principal')
  return { negated, entries }
}

/** How a caller matched: by identity (or "*"), or as a member of a named account. */
export type PrincipalMatch = 'direct' | 'account'

/**
 * Matches one entry. `boundId` is the unique id an `arn` entry was bound to when stored (undefined: it
 * named nobody, so it matches nobody). A user or role ARN matches by id alone, as AWS does; a session ARN
 * needs its own ARN and its role's id.
 */
export function matchEntry(entry: PrincipalEntry, caller: CallerFacts, boundId: string | undefined): PrincipalMatch | undefined {
  switch (entry.kind) {
    case 'any': return 'direct'
    case 'account': return entry.accountId === caller.accountId ? 'account' : undefined
    case 'arn':
      if (boundId === undefined || boundId !== caller.uniqueId) return undefined
      return !entry.session || entry.arn === caller.arn ? 'direct' : undefined
    case 'id': return entry.id === caller.uniqueId ? 'direct' : undefined
    case 'other': return undefined
  }
}

/**
 * Matches a caller against Principal (best match wins) or NotPrincipal (applies unless the caller is
 * exempt). Exemption errs on the safe side for the statement's effect: a Deny spares only a caller whose
 * every identity level is listed (notPrincipalExempts), while an Allow (which IAM no longer supports with
 * NotPrincipal) skips any caller that one entry names, so a partial listing never widens an Allow.
 */
export function matchPrincipal(spec: PrincipalSpec, caller: CallerFacts, bindings: PrincipalBindings, effect: 'Allow' | 'Deny' = 'Allow'): PrincipalMatch | undefined {
  if (spec.negated && effect === 'Deny') return notPrincipalExempts(spec, caller, bindings) ? undefined : 'direct'
  let best: PrincipalMatch | undefined
  for (const entry of spec.entries) {
    const match = matchEntry(entry, caller, entry.kind === 'arn' ? bindings[entry.arn] : undefined)
    if (match === 'direct') {
      best = 'direct'
      break
    }
    best ??= match
  }
  if (!spec.negated) return best
  return best === undefined ? 'direct' : undefined
}

/**
 * NotPrincipal exempts a caller only when every level of its identity is listed, as IAM evaluates it:
 * the account (its root ARN or id) for every caller; then the user (ARN or unique id) for a user; the role
 * (ARN or unique id) and the session ARN for a role session. Listing the account alone exempts only its
 * root, never every identity in it; "*" exempts everyone.
 */
export function notPrincipalExempts(spec: PrincipalSpec, caller: CallerFacts, bindings: PrincipalBindings): boolean {
  const has = (test: (entry: PrincipalEntry) => boolean): boolean => spec.entries.some(test)
  if (has((e) => e.kind === 'any')) return true
  if (!has((e) => e.kind === 'account' && e.accountId === caller.accountId)) return false
  if (caller.isAccountRoot) return true
  if (caller.uniqueId === undefined) return false
  // The identity level: the user, or the session's role. Bound ARNs compare by unique id, as in Principal.
  const identity = has((e) => (e.kind === 'arn' && !e.session && bindings[e.arn] === caller.uniqueId) || (e.kind === 'id' && e.id === caller.uniqueId))
  if (!identity) return false
  if (caller.roleArn === undefined) return true
  return has((e) => e.kind === 'arn' && e.session && e.arn === caller.arn && bindings[e.arn] === caller.uniqueId)
}
