// Overview: request rate by operation, error rate and keys by state, from Trent's own /metrics, read every
// few seconds while the page is open. Rates are the change between two readings.
import { barChart } from '../charts.js'
import { h, replace } from '../dom.js'
import { errorBox } from '../feedback.js'
import { onLeave } from '../lifecycle.js'
import { fetchMetrics, sumBy, type Sample } from '../metrics.js'

const POLL_MS = 5_000

interface Reading {
  at: number
  byOperation: Map<string, number>
  errorsByOperation: Map<string, number>
}

function reading(samples: Sample[]): Reading {
  return {
    at: performance.now(),
    byOperation: sumBy(samples, 'trent_requests_total', 'operation'),
    errorsByOperation: sumBy(samples, 'trent_requests_total', 'operation', (l) => l.outcome !== 'success'),
  }
}

function delta(now: Map<string, number>, before: Map<string, number> | undefined): Map<string, number> {
  const out = new Map<string, number>()
  for (const [k, v] of now) out.set(k, Math.max(0, v - (before?.get(k) ?? 0)))
  return out
}

function total(m: Map<string, number>): number {
  return [...m.values()].reduce((a, b) => a + b, 0)
}

export async function renderOverview(main: HTMLElement): Promise<void> {
  const body = h('div', { 'aria-live': 'off' })
  main.append(h('h1', { tabindex: '-1' }, 'Overview'),
    h('p', {}, `From Trent's own /metrics (server-wide, all accounts; with --workers, of the worker process that answered), read every ${POLL_MS / 1000} s. The first reading shows totals since the server started; later ones show rates.`),
    body)
  let previous: Reading | undefined
  const refresh = async () => {
    try {
      const samples = await fetchMetrics()
      const now = reading(samples)
      const seconds = previous ? (now.at - previous.at) / 1000 : undefined
      const requests = delta(now.byOperation, previous?.byOperation)
      const errors = delta(now.errorsByOperation, previous?.errorsByOperation)
      const perSecond = (v: number) => (seconds ? `${(v / seconds).toFixed(2)}/s` : String(v))
      const errorShare = total(requests) === 0 ? 0 : total(errors) / total(requests)
      replace(body,
        h('p', { class: 'headline' }, `Error rate: ${(errorShare * 100).toFixed(1)}% (${total(errors)} of ${total(requests)} requests ${seconds ? `in the last ${seconds.toFixed(0)} s` : 'since start'})`),
        barChart(seconds ? 'Request rate by operation' : 'Requests by operation since start', requests, perSecond),
        barChart(seconds ? 'Error rate by operation' : 'Errors by operation since start', errors, perSecond),
        barChart('Keys by state', sumBy(samples, 'trent_keys', 'state'), String),
        h('p', { class: 'hint' }, `Last read ${new Date().toLocaleTimeString()}.`))
      previous = now
    } catch (e) {
      replace(body, errorBox(e))
    }
  }
  await refresh()
  const timer = setInterval(() => void refresh(), POLL_MS)
  onLeave(() => clearInterval(timer))
}
