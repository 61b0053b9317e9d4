// The condition operators of the AWS policy language, each as its positive comparison plus a `negated`
// flag (StringNotEquals is "matches none of"). Qualifiers and IfExists are applied by conditions.ts.
import { ipInBlock, parseIpBlock } from './ip-address.js'
import { arnMatches, wildcardMatches } from './wildcard.js'

export type OperatorFamily = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null'

export interface ConditionOperator {
  name: string
  family: OperatorFamily
  negated: boolean
  /** Whether `${…}` policy variables are substituted in this operator's values. */
  takesVariables: boolean
  /** True when the request value satisfies the policy value in the positive sense. */
  matches(requestValue: string, policyValue: string): boolean
  /** An error text when a policy value can never be valid for this operator (checked at parse time). */
  invalid?(policyValue: string): string | undefined
}

function parseNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text)
}

/** ISO 8601 dates, or epoch seconds (as aws:EpochTime and kms:ValidTo are written). */
export function parseDate(text: string): number {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text) * 1000
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN
}

function numeric(name: string, negated: boolean, cmp: (a: number, b: number) => boolean): ConditionOperator {
  return {
    name, family: 'numeric', negated, takesVariables: false,
    matches: (r, p) => { const a = parseNumber(r); const b = parseNumber(p); return !Number.isNaN(a) && !Number.isNaN(b) && cmp(a, b) },
    invalid: (p) => (Number.isNaN(parseNumber(p)) ? `"${p}" is not a number` : undefined),
  }
}

function date(name: string, negated: boolean, cmp: (a: number, b: number) => boolean): ConditionOperator {
  return {
    name, family: 'date', negated, takesVariables: false,
    matches: (r, p) => { const a = parseDate(r); const b = parseDate(p); return !Number.isNaN(a) && !Number.isNaN(b) && cmp(a, b) },
    invalid: (p) => (Number.isNaN(parseDate(p)) ? `"${p}" is not a date` : undefined),
  }
}

function string(name: string, negated: boolean, matches: (r: string, p: string) => boolean): ConditionOperator {
  return { name, family: 'string', negated, takesVariables: true, matches }
}

const equalsIgnoreCase = (r: string, p: string): boolean => r.toLowerCase() === p.toLowerCase()
const like = (r: string, p: string): boolean => wildcardMatches(p, r, false)
const ipMatches = (r: string, p: string): boolean => {
  const block = parseIpBlock(p)
  return block !== undefined && ipInBlock(r, block)
}
const ipInvalid = (p: string): string | undefined => (parseIpBlock(p) ? undefined : `"${p}" is not an IP address or CIDR block`)
const boolOf = (text: string): string => text.toLowerCase()

const all: ConditionOperator[] = [
  string('StringEquals', false, (r, p) => r === p),
  string('StringNotEquals', true, (r, p) => r === p),
  string('StringEqualsIgnoreCase', false, equalsIgnoreCase),
  string('StringNotEqualsIgnoreCase', true, equalsIgnoreCase),
  string('StringLike', false, like),
  string('StringNotLike', true, like),
  numeric('NumericEquals', false, (a, b) => a === b),
  numeric('NumericNotEquals', true, (a, b) => a === b),
  numeric('NumericLessThan', false, (a, b) => a < b),
  numeric('NumericLessThanEquals', false, (a, b) => a <= b),
  numeric('NumericGreaterThan', false, (a, b) => a > b),
  numeric('NumericGreaterThanEquals', false, (a, b) => a >= b),
  date('DateEquals', false, (a, b) => a === b),
  date('DateNotEquals', true, (a, b) => a === b),
  date('DateLessThan', false, (a, b) => a < b),
  date('DateLessThanEquals', false, (a, b) => a <= b),
  date('DateGreaterThan', false, (a, b) => a > b),
  date('DateGreaterThanEquals', false, (a, b) => a >= b),
  {
    name: 'Bool', family: 'bool', negated: false, takesVariables: true, matches: (r, p) => boolOf(r) === boolOf(p),
    invalid: (p) => (p.includes('${') || ['true', 'false'].includes(boolOf(p)) ? undefined : `"${p}" is not true or false`),
  },
  { name: 'BinaryEquals', family: 'binary', negated: false, takesVariables: false, matches: (r, p) => r === p },
  { name: 'IpAddress', family: 'ip', negated: false, takesVariables: false, matches: ipMatches, invalid: ipInvalid },
  { name: 'NotIpAddress', family: 'ip', negated: true, takesVariables: false, matches: ipMatches, invalid: ipInvalid },
  { name: 'ArnEquals', family: 'arn', negated: false, takesVariables: true, matches: (r, p) => arnMatches(p, r) },
  { name: 'ArnLike', family: 'arn', negated: false, takesVariables: true, matches: (r, p) => arnMatches(p, r) },
  { name: 'ArnNotEquals', family: 'arn', negated: true, takesVariables: true, matches: (r, p) => arnMatches(p, r) },
  { name: 'ArnNotLike', family: 'arn', negated: true, takesVariables: true, matches: (r, p) => arnMatches(p, r) },
  {
    name: 'Null', family: 'null', negated: false, takesVariables: false, matches: () => false,
    invalid: (p) => (['true', 'false'].includes(boolOf(p)) ? undefined : `"${p}" is not true or false`),
  },
]

const byName = new Map(all.map((op) => [op.name.toLowerCase(), op]))

/** Looks an operator up by its base name (without qualifier or IfExists), case-insensitively. */
export function findOperator(name: string): ConditionOperator | undefined {
  return byName.get(name.toLowerCase())
}

export const OPERATOR_NAMES: readonly string[] = all.map((op) => op.name)
