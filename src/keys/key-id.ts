// Parsing of the four ways a caller names a key: key id, key ARN, alias name, alias ARN.

export type KeyReference =
  | { kind: 'keyId'; keyId: string }
  | { kind: 'keyArn'; region: string; accountId: string; keyId: string }
  | { kind: 'aliasName'; aliasName: string }
  | { kind: 'aliasArn'; region: string; accountId: string; aliasName: string }
  | { kind: 'invalidArn' }
  | { kind: 'invalid' }

const KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/
const ALIAS_NAME = /^alias\/[a-zA-Z0-9:/_-]+$/
// Trent serves the `aws` partition only: an ARN of another partition (aws-cn, aws-us-gov …) names no key here.
const KMS_ARN = /^arn:(aws):kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/

export function isKeyId(s: string): boolean {
  return KEY_ID.test(s)
}

export function isAliasName(s: string): boolean {
  return ALIAS_NAME.test(s) && s.length <= 256
}

/** Classifies a KeyId parameter without touching the store. */
export function parseKeyReference(value: string): KeyReference {
  if (KEY_ID.test(value)) return { kind: 'keyId', keyId: value }
  if (value.startsWith('alias/')) return isAliasName(value) ? { kind: 'aliasName', aliasName: value } : { kind: 'invalid' }
  if (value.startsWith('arn:')) {
    const m = KMS_ARN.exec(value)
    if (!m) return { kind: 'invalidArn' }
    const [, , region, accountId, resource] = m as unknown as [string, string, string, string, string]
    if (resource.startsWith('key/')) {
      const keyId = resource.slice(4)
      return KEY_ID.test(keyId) ? { kind: 'keyArn', region, accountId, keyId } : { kind: 'invalidArn' }
    }
    return isAliasName(resource) ? { kind: 'aliasArn', region, accountId, aliasName: resource } : { kind: 'invalidArn' }
  }
  return { kind: 'invalid' }
}
