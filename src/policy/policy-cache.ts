// Parsed policies, cached by their text: the same few documents are evaluated on every request, so each
// is parsed once. Bounded, least-recently-used first out; a policy that fails to parse is cached as such.
import type { PolicyDocument, PolicyKind } from './document.js'
import { PolicyGrammarError, parsePolicy } from './parse.js'

type Entry = { document: PolicyDocument } | { error: PolicyGrammarError }

export class PolicyCache {
  // One map per kind, keyed by the text itself: no key building on the hot path.
  private readonly byKind: Record<PolicyKind, Map<string, Entry>> = { resource: new Map(), identity: new Map() }
  private readonly capacity: number

  constructor(capacity = 2_000) {
    this.capacity = capacity
  }

  /** The parsed document; throws PolicyGrammarError (from the cache, too) when the text is malformed. */
  parse(text: string, kind: PolicyKind): PolicyDocument {
    const entries = this.byKind[kind]
    let entry = entries.get(text)
    if (entry) {
      // Re-inserting marks it most recently used (Maps iterate in insertion order).
      if (entries.size > 1) {
        entries.delete(text)
        entries.set(text, entry)
      }
    } else {
      entry = parseEntry(text, kind)
      if (entries.size >= this.capacity) entries.delete(entries.keys().next().value!)
      entries.set(text, entry)
    }
    if ('error' in entry) throw entry.error
    return entry.document
  }

  get size(): number {
    return this.byKind.resource.size + this.byKind.identity.size
  }
}

function parseEntry(text: string, kind: PolicyKind): Entry {
  try {
    return { document: parsePolicy(text, kind) }
  } catch (e) {
    if (e instanceof PolicyGrammarError) return { error: e }
    throw e
  }
}

/** The process-wide cache the authorizer and the policy checks share. */
export const sharedPolicyCache = new PolicyCache()
