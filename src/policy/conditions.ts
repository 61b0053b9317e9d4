// Evaluates a statement's Condition block against the request context, with AWS's rules: operators,
// keys and values combine as AND / AND / OR; negated operators mean "matches none"; a missing key fails a
// positive operator and satisfies a negated one; IfExists and Null test presence; ForAnyValue and
// ForAllValues compare sets. An ambiguous key (request data under names differing only in case) is
// evaluated once per alternative, and the alternatives combine to the safe result: an Allow's clause
// must hold for every one, a Deny's clause holds when any one satisfies it.
import type { ConditionClause } from './document.js'
import { isAmbiguous, type ContextLookup } from './request.js'
import { hasVariables, referencesAmbiguousKey, substituteVariables } from './variables.js'

/** How the readings of an ambiguous request combine: `every` for Allow statements, `some` for Deny. */
export type Combine = 'every' | 'some'

type Plain = string | readonly string[] | undefined

/** Returns the first clause that fails, or undefined when every clause holds. */
export function failingClause(
  clauses: readonly ConditionClause[], context: ContextLookup, allowsVariables: boolean, combine: Combine = 'every',
): ConditionClause | undefined {
  for (const clause of clauses) {
    if (!clauseHolds(clause, context, allowsVariables, combine)) return clause
  }
  return undefined
}

function isAbsent(value: Plain): value is undefined {
  return value === undefined || (Array.isArray(value) && value.length === 0)
}

export function clauseHolds(clause: ConditionClause, context: ContextLookup, allowsVariables: boolean, combine: Combine = 'every'): boolean {
  const raw = context.get(clause.key)
  if (!isAmbiguous(raw)) return holdsFor(clause, raw, context, allowsVariables, combine)
  const one = (value: string): boolean => holdsFor(clause, value, context, allowsVariables, combine)
  return combine === 'every' ? raw.alternatives.every(one) : raw.alternatives.some(one)
}

/** The clause against one reading of its key. */
function holdsFor(clause: ConditionClause, raw: Plain, context: ContextLookup, allowsVariables: boolean, combine: Combine): boolean {
  if (clause.operator.family === 'null') {
    const absent = isAbsent(raw)
    return clause.values.some((v) => (v.toLowerCase() === 'true') === absent)
  }
  if (isAbsent(raw)) {
    if (clause.ifExists || clause.qualifier === 'ForAllValues') return true
    if (clause.qualifier === 'ForAnyValue') return false
    return clause.operator.negated
  }
  const policyValues = resolveValues(clause, context, allowsVariables)
  // A policy value that depends on an ambiguous key has no one reading: take the safe result.
  if (policyValues === undefined) return combine === 'some'
  const { operator } = clause
  const satisfies = (v: string): boolean => {
    const hit = policyValues.some((p) => operator.matches(v, p))
    return operator.negated ? !hit : hit
  }
  const requestValues: readonly string[] = typeof raw === 'string' ? [raw] : raw
  if (clause.qualifier === 'ForAllValues') return requestValues.every(satisfies)
  if (clause.qualifier === 'ForAnyValue') return requestValues.some(satisfies)
  // Without a qualifier a multivalued key holds when any value matches (or, negated, when none does).
  return operator.negated ? requestValues.every(satisfies) : requestValues.some(satisfies)
}

/** The clause's values with variables substituted; undefined when one names an ambiguous key. */
function resolveValues(clause: ConditionClause, context: ContextLookup, allowsVariables: boolean): string[] | undefined {
  if (!allowsVariables || !clause.operator.takesVariables) return clause.values
  const out: string[] = []
  for (const value of clause.values) {
    if (!hasVariables(value)) out.push(value)
    else {
      if (referencesAmbiguousKey(value, context)) return undefined
      const resolved = substituteVariables(value, context)
      if (resolved !== undefined) out.push(resolved)
    }
  }
  return out
}
