// KMS keys have exactly one policy, and its name is always `default`.
import { lookupErrors } from '../wire/messages.js'

/** Throws NotFoundException for any policy name other than `default` (omitted means `default`). */
export function requireDefaultPolicyName(name: string | undefined): void {
  if (name !== undefined && name !== 'default') throw lookupErrors.policyNotFound()
}
