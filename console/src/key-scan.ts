// Filtered pagination over ListKeys: ListKeys pages are read in order and each key is described (and its tags
// read, when a tag filter is set) until a console page holds `pageSize` matches or the keys run out. So
// filters apply to every key, not only to the keys of one API page, and nothing is read ahead of need.
import { kms } from './api.js'
import type { AliasEntry, KeyMetadata, Tag } from './kms-types.js'

export interface KeyFilter {
  state?: string
  spec?: string
  usage?: string
  /** A substring of one of the key's alias names. */
  alias?: string
  /** `key` (the tag is present) or `key=value`. */
  tag?: string
}

export interface KeyRow {
  metadata: KeyMetadata
  aliases: string[]
}

function tagMatches(tags: Tag[], filter: string): boolean {
  const [key, ...rest] = filter.split('=')
  const value = rest.length > 0 ? rest.join('=') : undefined
  return tags.some((t) => t.TagKey === key!.trim() && (value === undefined || t.TagValue === value.trim()))
}

async function matches(row: KeyRow, filter: KeyFilter): Promise<boolean> {
  const m = row.metadata
  if (filter.state && m.KeyState !== filter.state) return false
  if (filter.spec && m.KeySpec !== filter.spec) return false
  if (filter.usage && m.KeyUsage !== filter.usage) return false
  if (filter.alias && !row.aliases.some((a) => a.toLowerCase().includes(filter.alias!.toLowerCase()))) return false
  if (filter.tag) {
    const page = await kms<{ Tags?: Tag[] }>('ListResourceTags', { KeyId: m.KeyId })
    if (!tagMatches(page.Tags ?? [], filter.tag)) return false
  }
  return true
}

export class KeyScan {
  readonly pages: KeyRow[][] = []
  private marker: string | undefined
  private exhausted = false
  private readonly pending: KeyRow[] = []
  private readonly filter: KeyFilter
  private readonly pageSize: number
  private readonly aliasesByKey: Map<string, string[]>

  constructor(filter: KeyFilter, pageSize: number, aliases: AliasEntry[]) {
    this.filter = filter
    this.pageSize = pageSize
    this.aliasesByKey = new Map()
    for (const a of aliases) {
      if (!a.TargetKeyId) continue
      this.aliasesByKey.set(a.TargetKeyId, [...(this.aliasesByKey.get(a.TargetKeyId) ?? []), a.AliasName])
    }
  }

  /** Whether a page after the last one read may exist. */
  hasMore(): boolean {
    return this.pending.length > 0 || !this.exhausted
  }

  /** Page `index` (0-based), reading further ListKeys pages only when it has not been read yet. */
  async page(index: number): Promise<KeyRow[]> {
    while (this.pages.length <= index && this.hasMore()) this.pages.push(await this.readPage())
    return this.pages[index] ?? []
  }

  private async readPage(): Promise<KeyRow[]> {
    while (this.pending.length < this.pageSize && !this.exhausted) {
      const reply = await kms<{ Keys?: { KeyId: string }[]; Truncated?: boolean; NextMarker?: string }>('ListKeys', { Limit: this.pageSize, ...(this.marker ? { Marker: this.marker } : {}) })
      this.marker = reply.Truncated ? reply.NextMarker : undefined
      this.exhausted = !reply.Truncated
      const rows = await Promise.all((reply.Keys ?? []).map(async (k) => {
        const described = await kms<{ KeyMetadata: KeyMetadata }>('DescribeKey', { KeyId: k.KeyId })
        const row = { metadata: described.KeyMetadata, aliases: this.aliasesByKey.get(k.KeyId) ?? [] }
        return (await matches(row, this.filter)) ? row : undefined
      }))
      this.pending.push(...rows.filter((r): r is KeyRow => r !== undefined))
    }
    return this.pending.splice(0, this.pageSize)
  }
}
