// Parses a policy document's text into the evaluator's form, checking the grammar as AWS does.
// Throws PolicyGrammarError with a reason fit for a MalformedPolicyDocumentException message.
import type { ConditionClause, ContextNeeds, MatchList, PolicyDocument, PolicyKind, PrincipalSpec, Statement } from './document.js'
import { parseConditionBlock } from './parse-condition.js'
import { PolicyGrammarError, asObject, stringList } from './grammar.js'
import { PrincipalGrammarError, parsePrincipalElement } from './principals.js'

export { PolicyGrammarError } from './grammar.js'

const VERSIONS = ['2012-10-17', '2008-10-17']
const DOCUMENT_FIELDS = new Set(['Version', 'Id', 'Statement'])
const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'])
const ACTION = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/

/** Parses and checks `text` as a key policy ('resource') or an identity policy. */
export function parsePolicy(text: string, kind: PolicyKind): PolicyDocument {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new PolicyGrammarError('The policy is not valid JSON.')
  }
  const doc = asObject(json, 'The policy')
  for (const field of Object.keys(doc)) {
    if (!DOCUMENT_FIELDS.has(field)) throw new PolicyGrammarError(`The policy has an unknown element: ${field}.`)
  }
  const version = doc.Version ?? '2008-10-17'
  if (typeof version !== 'string' || !VERSIONS.includes(version)) throw new PolicyGrammarError(`The policy has an invalid Version: ${String(version)}.`)
  if (doc.Id !== undefined && typeof doc.Id !== 'string') throw new PolicyGrammarError('The policy Id must be a string.')
  if (doc.Statement === undefined) throw new PolicyGrammarError('The policy must contain a Statement.')
  const rawStatements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]
  const statements = rawStatements.map((s, index) => parseStatement(s, index, kind))
  return {
    kind, version, statements, needs: needsOf(statements), allowsVariables: version === '2012-10-17',
    ...(typeof doc.Id === 'string' ? { id: doc.Id } : {}),
  }
}

function parseStatement(raw: unknown, index: number, kind: PolicyKind): Statement {
  const where = `Statement ${index}`
  const st = asObject(raw, where)
  for (const field of Object.keys(st)) {
    if (!STATEMENT_FIELDS.has(field)) throw new PolicyGrammarError(`${where} has an unknown element: ${field}.`)
  }
  if (st.Sid !== undefined && typeof st.Sid !== 'string') throw new PolicyGrammarError(`${where} has a Sid that is not a string.`)
  if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw new PolicyGrammarError(`${where} must have an Effect of Allow or Deny.`)
  const statement: Statement = {
    index, effect: st.Effect,
    actions: matchList(st, 'Action', 'NotAction', where),
    resources: matchList(st, 'Resource', 'NotResource', where),
    conditions: st.Condition === undefined ? [] : parseConditionBlock(st.Condition, where),
  }
  if (typeof st.Sid === 'string') statement.sid = st.Sid
  const principal = principalOf(st, kind, where)
  if (principal) statement.principal = principal
  for (const pattern of statement.actions.patterns) {
    if (!ACTION.test(pattern)) throw new PolicyGrammarError(`${where} has an invalid action: ${pattern}.`)
  }
  return statement
}

function principalOf(st: Record<string, unknown>, kind: PolicyKind, where: string): PrincipalSpec | undefined {
  const hasPrincipal = st.Principal !== undefined
  const hasNot = st.NotPrincipal !== undefined
  if (kind === 'identity') {
    if (hasPrincipal || hasNot) throw new PolicyGrammarError(`${where}: an identity policy cannot name a Principal.`)
    return undefined
  }
  if (hasPrincipal && hasNot) throw new PolicyGrammarError(`${where} cannot have both Principal and NotPrincipal.`)
  if (!hasPrincipal && !hasNot) throw new PolicyGrammarError(`${where} must name a Principal.`)
  try {
    return parsePrincipalElement(hasPrincipal ? st.Principal : st.NotPrincipal, hasNot)
  } catch (e) {
    if (e instanceof PrincipalGrammarError) throw new PolicyGrammarError('Policy contains a statement with one or more invalid principals.')
    throw e
  }
}

function matchList(st: Record<string, unknown>, name: string, notName: string, where: string): MatchList {
  if (st[name] !== undefined && st[notName] !== undefined) throw new PolicyGrammarError(`${where} cannot have both ${name} and ${notName}.`)
  if (st[notName] !== undefined) return { negated: true, patterns: stringList(st[notName], `${where} ${notName}`) }
  // A statement without the element is accepted but matches nothing, as in AWS.
  return { negated: false, patterns: st[name] === undefined ? [] : stringList(st[name], `${where} ${name}`) }
}

function needsOf(statements: Statement[]): ContextNeeds {
  const needs: ContextNeeds = { resourceTags: false, resourceAliases: false, principalTags: false }
  const note = (text: string): void => {
    const lower = text.toLowerCase()
    if (lower.includes('aws:resourcetag/')) needs.resourceTags = true
    if (lower.includes('kms:resourcealiases')) needs.resourceAliases = true
    if (lower.includes('aws:principaltag/')) needs.principalTags = true
  }
  for (const st of statements) {
    st.conditions.forEach((c: ConditionClause) => { note(c.key); c.values.forEach(note) })
    st.resources.patterns.forEach(note)
  }
  return needs
}
