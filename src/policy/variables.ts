// Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`) in Resource and condition
// values, as version 2012-10-17 documents allow. A variable with no value and no default makes the
// value unusable, so it matches nothing. A variable naming an ambiguous key (request data under names
// that differ only in case) has no single value either, and its default does not apply: callers ask
// `referencesAmbiguousKey` first and take the safe result for the statement's effect.
import { isAmbiguous, type ContextLookup } from './request.js'

const VARIABLE = /\$\{([^}]*)\}/g
const LITERALS: Record<string, string> = { '*': '*', '?': '?', '$': '$' }
const WITH_DEFAULT = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/

export function hasVariables(text: string): boolean {
  return text.includes('${')
}

function variableKey(body: string): string | undefined {
  if (LITERALS[body.trim()] !== undefined) return undefined
  const withDefault = WITH_DEFAULT.exec(body)
  return (withDefault ? withDefault[1]! : body.trim()).toLowerCase()
}

/** True when a variable in `text` names a key that the request supplied under case-variant names. */
export function referencesAmbiguousKey(text: string, context: ContextLookup): boolean {
  for (const match of text.matchAll(VARIABLE)) {
    const key = variableKey(match[1]!)
    if (key !== undefined && isAmbiguous(context.get(key))) return true
  }
  return false
}

/** Replaces every variable; undefined when one has no single value and no default. */
export function substituteVariables(text: string, context: ContextLookup): string | undefined {
  let missing = false
  const out = text.replace(VARIABLE, (_whole, body: string) => {
    const literal = LITERALS[body.trim()]
    if (literal !== undefined) return literal
    const withDefault = WITH_DEFAULT.exec(body)
    const key = (withDefault ? withDefault[1]! : body.trim()).toLowerCase()
    const value = context.get(key)
    if (typeof value === 'string') return value
    if (withDefault && !isAmbiguous(value)) return withDefault[2]!
    missing = true
    return ''
  })
  return missing ? undefined : out
}
