// Policy wildcards: `*` matches any run of characters, `?` exactly one; everything else is literal.

const STAR = 0x2a
const QUESTION = 0x3f

/**
 * True when `text` matches the wildcard `pattern`. A greedy scan that backtracks only to the last `*`,
 * so it costs at most pattern × text steps: policy authors cannot make matching exponential, as they
 * could with a backtracking regular expression (`*a*a*a…b`). `ignoreCase` for action names and the
 * IgnoreCase operators.
 */
export function wildcardMatches(pattern: string, text: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern
  const t = ignoreCase ? text.toLowerCase() : text
  let pi = 0
  let ti = 0
  let star = -1
  let starText = 0
  while (ti < t.length) {
    const c = pi < p.length ? p.charCodeAt(pi) : -1
    if (c === STAR) {
      star = pi++
      starText = ti
    } else if (c === QUESTION || (c >= 0 && c === t.charCodeAt(ti))) {
      pi++
      ti++
    } else if (star >= 0) {
      pi = star + 1
      ti = ++starText
    } else {
      return false
    }
  }
  while (p.charCodeAt(pi) === STAR) pi++
  return pi === p.length
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
    if (!wildcardMatches(want[i]!, got[i]!, false)) return false
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
