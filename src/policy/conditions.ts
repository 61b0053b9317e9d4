// Evaluates a statement's Condition block against the request context, with AWS's rules: operators,
// keys and values combine as AND / AND / OR; negated operators mean "matches none"; a missing key fails a
// positive operator and satisfies a negated one; IfExists and Null test presence; ForAnyValue and
// ForAllValues compare sets.
import type { ConditionClause } from './document.js'
import type { ContextLookup, ContextValue } from './request.js'
import { hasVariables, substituteVariables } from './variables.js'

/** Returns the first clause that fails, or undefined when every clause holds. */
export function failingClause(
  clauses: readonly ConditionClause[], context: ContextLookup, allowsVariables: boolean,
): ConditionClause | undefined {
  for (const clause of clauses) {
    if (!clauseHolds(clause, context, allowsVariables)) return clause
  }
  return undefined
}

function isAbsent(value: ContextValue | undefined): value is undefined {
  return value === undefined || (Array.isArray(value) && value.length === 0)
}

export function clauseHolds(clause: ConditionClause, context: ContextLookup, allowsVariables: boolean): boolean {
  const raw = context.get(clause.key)
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

function resolveValues(clause: ConditionClause, context: ContextLookup, allowsVariables: boolean): string[] {
  if (!allowsVariables || !clause.operator.takesVariables) return clause.values
  const out: string[] = []
  for (const value of clause.values) {
    if (!hasVariables(value)) out.push(value)
    else {
      const resolved = substituteVariables(value, context)
      if (resolved !== undefined) out.push(resolved)
    }
  }
  return out
}
