// Tag validation as AWS applies it to KMS keys (facts §2): 50 per key, reserved `aws:` prefix, no duplicates.
import type { Tag as WireTag } from '../wire/types.generated.js'
import type { KmsError } from '../wire/kms-error.js'
import { tagAliasErrors } from '../wire/messages.js'
import type { Tag } from '../keys/key.js'

export const MAX_TAGS_PER_KEY = 50
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u

/**
 * Validates request tags and converts them to the domain form. Throws TagException, also for more than
 * 50 tags in one request (AWS answers CreateKey so; the key's running total is LimitExceededException).
 */
export function validateTags(tags: WireTag[] | undefined): Tag[] {
  if (!tags) return []
  const seen = new Set<string>()
  const out: Tag[] = []
  for (const t of tags) {
    if (t.TagKey.toLowerCase().startsWith('aws:')) throw tagAliasErrors.reservedTag()
    if (!TAG_CHARS.test(t.TagKey) || !TAG_CHARS.test(t.TagValue)) throw tagAliasErrors.tagCharacters()
    if (seen.has(t.TagKey)) throw tagAliasErrors.duplicateTagKeys()
    seen.add(t.TagKey)
    out.push({ tagKey: t.TagKey, tagValue: t.TagValue })
  }
  if (out.length > MAX_TAGS_PER_KEY) throw tagAliasErrors.tooManyTags()
  return out
}

/** Tagging a key past its 50 tags in total. */
export function tagLimitExceeded(): KmsError {
  return tagAliasErrors.tagLimit(MAX_TAGS_PER_KEY)
}
