// Key policy documents: the AWS default policy, and the checks every stored policy passes.
import { KmsError } from '../wire/kms-error.js'
import { rootArn } from '../auth/principal.js'

export const MAX_POLICY_BYTES = 32_768

/** AWS's default key policy, byte for byte in AWS's own layout, so GetKeyPolicy returns what AWS returns. */
export function defaultKeyPolicy(accountId: string): string {
  return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "${rootArn(accountId)}"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`
}

/**
 * Checks that a policy is a JSON object with a Statement, within AWS's 32 KB limit.
 * Throws LimitExceededException or MalformedPolicyDocumentException. Full grammar and
 * evaluation belong to the policy engine.
 */
export function validateKeyPolicy(policy: string): void {
  if (Buffer.byteLength(policy, 'utf8') > MAX_POLICY_BYTES) {
    throw new KmsError('LimitExceededException', `The key policy exceeds the maximum size of ${MAX_POLICY_BYTES} bytes.`)
  }
  let doc: unknown
  try {
    doc = JSON.parse(policy)
  } catch {
    throw new KmsError('MalformedPolicyDocumentException', 'The key policy is not valid JSON.')
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new KmsError('MalformedPolicyDocumentException', 'The key policy must be a JSON object.')
  }
  const statement = (doc as Record<string, unknown>).Statement
  if (statement === undefined || (typeof statement !== 'object') || statement === null) {
    throw new KmsError('MalformedPolicyDocumentException', 'The key policy must contain a Statement.')
  }
}
