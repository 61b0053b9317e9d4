// Small shared pieces of the policy grammar checks.

/** A policy that breaks the grammar; the message says where and why, without echoing large input. */
export class PolicyGrammarError extends Error {
  override readonly name = 'PolicyGrammarError'
}

export function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PolicyGrammarError(`${what} must be a JSON object.`)
  return value as Record<string, unknown>
}

/** A string or a non-empty array of strings. */
export function stringList(value: unknown, what: string): string[] {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0 || !list.every((v): v is string => typeof v === 'string')) {
    throw new PolicyGrammarError(`${what} must be a string or a non-empty list of strings.`)
  }
  return list
}
