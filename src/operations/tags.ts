// Tag validation as AWS applies it to KMS keys (facts §2): 50 per key, reserved `aws:` prefix, no duplicates.
import type { Tag as WireTag } from '../wire/types.generated.js'
import { KmsError } from '../wire/kms-error.js'
import type { Tag } from '../keys/key.js'

export const MAX_TAGS_PER_KEY = 50
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u

/** Validates request tags and converts them to the domain form. Throws TagException. */
export function validateTags(tags: WireTag[] | undefined): Tag[] {
  if (!tags) return []
  const seen = new Set<string>()
  const out: Tag[] = []
  for (const t of tags) {
    if (t.TagKey.toLowerCase().startsWith('aws:')) throw new KmsError('TagException', 'Tags beginning with aws: are reserved.')
    if (!TAG_CHARS.test(t.TagKey) || !TAG_CHARS.test(t.TagValue)) {
      throw new KmsError('TagException', 'Tag keys and values may contain only Unicode letters, digits, white space, and _ . : / = + - @')
    }
    if (seen.has(t.TagKey)) throw new KmsError('TagException', 'Duplicate tag keys are not allowed.')
    seen.add(t.TagKey)
    out.push({ tagKey: t.TagKey, tagValue: t.TagValue })
  }
  if (out.length > MAX_TAGS_PER_KEY) throw tagLimitExceeded()
  return out
}

export function tagLimitExceeded(): KmsError {
  return new KmsError('LimitExceededException', `A KMS key can have at most ${MAX_TAGS_PER_KEY} tags.`)
}
