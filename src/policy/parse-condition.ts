// Parses a Condition block: `{ "<qualifier>:<Operator>IfExists": { "<key>": value | [values] } }`.
import type { ConditionClause } from './document.js'
import { findOperator } from './condition-operators.js'
import { PolicyGrammarError, asObject } from './grammar.js'
import { hasVariables } from './variables.js'

const QUALIFIERS = ['ForAnyValue', 'ForAllValues'] as const

function conditionValues(value: unknown, what: string): string[] {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0) throw new PolicyGrammarError(`${what} has no values.`)
  return list.map((v) => {
    if (typeof v === 'string') return v
    if (typeof v === 'number' || typeof v === 'boolean') return String(v)
    throw new PolicyGrammarError(`${what} values must be strings, numbers or booleans.`)
  })
}

function splitOperator(text: string, where: string): Pick<ConditionClause, 'operator' | 'qualifier' | 'ifExists'> {
  let rest = text
  let qualifier: ConditionClause['qualifier']
  const colon = rest.indexOf(':')
  if (colon >= 0) {
    qualifier = QUALIFIERS.find((q) => q.toLowerCase() === rest.slice(0, colon).toLowerCase())
    if (!qualifier) throw new PolicyGrammarError(`${where} has an unknown condition qualifier in ${text}.`)
    rest = rest.slice(colon + 1)
  }
  const ifExists = rest.toLowerCase().endsWith('ifexists')
  if (ifExists) rest = rest.slice(0, -'IfExists'.length)
  const operator = findOperator(rest)
  if (!operator) throw new PolicyGrammarError(`${where} has an unknown condition operator: ${text}.`)
  if (ifExists && operator.family === 'null') throw new PolicyGrammarError(`${where}: Null cannot take IfExists.`)
  return { operator, qualifier, ifExists }
}

/** Parses and checks a Condition element; throws PolicyGrammarError. */
export function parseConditionBlock(block: unknown, where: string): ConditionClause[] {
  const clauses: ConditionClause[] = []
  for (const [operatorText, keys] of Object.entries(asObject(block, `${where} Condition`))) {
    const parts = splitOperator(operatorText, where)
    for (const [keyText, raw] of Object.entries(asObject(keys, `${where} ${operatorText}`))) {
      const key = keyText.toLowerCase()
      const values = conditionValues(raw, `${where} ${operatorText} ${keyText}`)
      if (parts.qualifier === 'ForAllValues' && key.startsWith('kms:encryptioncontext:')) {
        throw new PolicyGrammarError('OverlyPermissiveCondition:EncryptionContext: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified encryption context or with an unspecified encryption context. To fix, remove ForAllValues.')
      }
      for (const value of values) {
        const problem = hasVariables(value) ? undefined : parts.operator.invalid?.(value)
        if (problem) throw new PolicyGrammarError(`${where} ${operatorText} ${keyText}: ${problem}.`)
      }
      clauses.push({ ...parts, operatorText, key, keyText, values })
    }
  }
  return clauses
}
