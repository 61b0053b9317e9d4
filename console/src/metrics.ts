// Reads Trent's own Prometheus text from /metrics (same origin, served unsigned by the server for monitoring).
export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g

/** The samples of a Prometheus text exposition (comments and malformed lines are skipped). */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    const match = LINE.exec(line)
    if (!match || line.startsWith('#')) continue
    const labels: Record<string, string> = {}
    for (const l of (match[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
    const value = Number(match[3])
    if (Number.isFinite(value)) samples.push({ name: match[1]!, labels, value })
  }
  return samples
}

/** Sums `name`'s samples by the value of label `by`. */
export function sumBy(samples: Sample[], name: string, by: string, where: (labels: Record<string, string>) => boolean = () => true): Map<string, number> {
  const out = new Map<string, number>()
  for (const s of samples) {
    if (s.name !== name || !where(s.labels)) continue
    const key = s.labels[by] ?? ''
    out.set(key, (out.get(key) ?? 0) + s.value)
  }
  return out
}

export async function fetchMetrics(): Promise<Sample[]> {
  const response = await fetch('/metrics', { credentials: 'omit', cache: 'no-store' })
  if (!response.ok) throw new Error(`/metrics answered HTTP ${response.status}`)
  return parseMetrics(await response.text())
}
