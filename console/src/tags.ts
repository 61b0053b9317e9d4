// Tags typed as text, one `Key=Value` a line (a value may itself contain '=').
import type { Tag } from './kms-types.js'

/** Throws an Error naming the line when one has no '='. Blank lines are skipped. */
export function parseTags(text: string): Tag[] {
  const tags: Tag[] = []
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    const at = line.indexOf('=')
    if (at < 1) throw new Error(`Tag line ${i + 1} is not Key=Value`)
    tags.push({ TagKey: line.slice(0, at).trim(), TagValue: line.slice(at + 1).trim() })
  })
  return tags
}
