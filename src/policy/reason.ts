// Explanations: the structured reason recorded in the audit record (trentAuthorization) and printed by
// `trent policy simulate`, and the AWS wording of an AccessDeniedException.
import type { Basis, Denial, Verdict } from './decide.js'
import type { StatementRef } from './evaluate.js'

/** `key policy statement 0 "Enable IAM User Permissions"` or `identity policy "p" of <arn> statement 1`. */
export function describeStatement(ref: StatementRef): string {
  const where = ref.source.kind === 'key-policy' ? 'key policy' : `identity policy "${ref.source.name}" of ${ref.source.owner}`
  return `${where} statement ${ref.index}${ref.sid === undefined ? '' : ` "${ref.sid}"`}`
}

export function describeBasis(basis: Basis): string {
  switch (basis.kind) {
    case 'statement': {
      const text = `${basis.effect} by ${describeStatement(basis.ref)}`
      return basis.viaAccount ? `${text} (delegated to the account's identity policies)` : text
    }
    case 'root-identity': return `identity: root of account ${basis.accountId}`
    case 'grant': return `Allow by grant ${basis.grantId}`
    case 'retire-rule': return `Allow by grant ${basis.grantId} (caller is its ${basis.rule})`
  }
}

const DENIAL_TEXT: Record<Denial, string> = {
  'explicit-resource': 'explicit deny in the key policy',
  'explicit-identity': 'explicit deny in an identity policy',
  'no-resource': 'no key policy statement or grant allows',
  'no-identity': 'no identity policy allows',
}

/** A one-line, structured account of the verdict: `ALLOW: …; …` or `DENY (<why>): …`. */
export function renderVerdict(verdict: Verdict): string {
  const parts = verdict.basis.map(describeBasis)
  if (verdict.allowed) return `ALLOW: ${parts.join('; ')}`
  return `DENY (${DENIAL_TEXT[verdict.denial]})${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`
}

/** The tail AWS puts after `… on resource: <arn>` in an AccessDeniedException message. */
export function denialTail(denial: Denial, action: string): string {
  switch (denial) {
    case 'explicit-resource': return 'with an explicit deny in a resource-based policy'
    case 'explicit-identity': return 'with an explicit deny in an identity-based policy'
    case 'no-resource': return `because no resource-based policy allows the ${action} action`
    case 'no-identity': return `because no identity-based policy allows the ${action} action`
  }
}
