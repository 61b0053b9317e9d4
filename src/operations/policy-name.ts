// KMS keys have exactly one policy, and its name is always `default`.
import { KmsError } from '../wire/kms-error.js'

/** Throws NotFoundException for any policy name other than `default` (omitted means `default`). */
export function requireDefaultPolicyName(name: string | undefined): void {
  if (name !== undefined && name !== 'default') throw new KmsError('NotFoundException', 'No such policy exists')
}
