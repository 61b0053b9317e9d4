// Policy wildcards: `*` matches any run of characters, `?` exactly one; everything else is literal.
// Patterns compile once to anchored regular expressions, so a match is a single regex test.

const REGEX_SPECIALS = /[.+^${}()|[\]\\/]/g

// Policies are few and reused, so their patterns are too; the bound only stops a flood of distinct ones.
const compiled = new Map<string, RegExp>()
const MAX_COMPILED = 10_000

/** Compiles (or reuses) a wildcard pattern; `ignoreCase` for action names and the IgnoreCase operators. */
export function compileWildcard(pattern: string, ignoreCase: boolean): RegExp {
  const cacheKey = `${ignoreCase ? 'i' : 's'}${pattern}`
  let regex = compiled.get(cacheKey)
  if (regex) return regex
  regex = buildRegex(pattern, ignoreCase)
  if (compiled.size >= MAX_COMPILED) compiled.clear()
  compiled.set(cacheKey, regex)
  return regex
}

function buildRegex(pattern: string, ignoreCase: boolean): RegExp {
  let source = ''
  for (const ch of pattern) {
    if (ch === '*') source += '.*'
    else if (ch === '?') source += '.'
    else source += ch.replace(REGEX_SPECIALS, '\\$&')
  }
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's')
}

/** True when the text contains a wildcard character. */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?')
}

/**
 * ARN matching as the Arn* operators define it: each of the six colon-separated parts is matched on its
 * own (a `*` never spans a colon), and the sixth part is the rest of the ARN, colons included.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  const want = splitArn(pattern)
  const got = splitArn(arn)
  if (!want || !got) return false
  for (let i = 0; i < 6; i++) {
    if (!compileWildcard(want[i]!, false).test(got[i]!)) return false
  }
  return true
}

function splitArn(text: string): string[] | undefined {
  const parts: string[] = []
  let rest = text
  for (let i = 0; i < 5; i++) {
    const at = rest.indexOf(':')
    if (at < 0) return undefined
    parts.push(rest.slice(0, at))
    rest = rest.slice(at + 1)
  }
  parts.push(rest)
  return parts[0] === 'arn' || parts[0] === '*' ? parts : undefined
}
