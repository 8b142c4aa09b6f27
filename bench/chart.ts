// Renders the benchmark's SVG chart by hand (no dependency): requests per second by dataset size,
// on a log scale, for the ceiling, the directory's endpoints and json-server.

interface ChartInput {
  participations: number
  runs: Record<string, { requestsPerSecond: number }>
}

const SERIES: [key: string, label: string, colour: string][] = [
  ['ceiling_list', 'ceiling (Fastify, same schema)', '#999999'],
  ['directory_by_id', 'directory: by id', '#1b9e77'],
  ['directory_by_country', 'directory: country', '#d95f02'],
  ['directory_by_country_ministry', 'directory: country+ministry', '#7570b3'],
  ['directory_search', 'directory: search q', '#e7298a'],
  ['json_server_by_country', 'json-server 0.17: country', '#a6761d']
]

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;')

export function renderChart(results: ChartInput[]): string {
  const width = 860
  const height = 420
  const left = 70
  const right = 230
  const top = 40
  const bottom = 50
  const plotW = width - left - right
  const plotH = height - top - bottom
  const values = results.flatMap((r) => SERIES.map(([k]) => r.runs[k]?.requestsPerSecond ?? 0)).filter((v) => v > 0)
  const maxExp = Math.ceil(Math.log10(Math.max(10, ...values)))
  const minExp = Math.min(1, Math.floor(Math.log10(Math.max(1, Math.min(...values, 10)))))
  const y = (v: number) => top + plotH - ((Math.log10(Math.max(v, 10 ** minExp)) - minExp) / (maxExp - minExp)) * plotH
  const out: string[] = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`)
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`)
  out.push(`<text x="${left}" y="22" font-size="15" font-weight="bold">Requests per second by dataset size (log scale, higher is better)</text>`)
  for (let e = minExp; e <= maxExp; e++) {
    const yy = y(10 ** e)
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${yy}" y2="${yy}" stroke="#dddddd"/>`)
    out.push(`<text x="${left - 8}" y="${yy + 4}" text-anchor="end">${(10 ** e).toLocaleString('en')}</text>`)
  }
  const groupW = plotW / Math.max(1, results.length)
  const barW = Math.min(28, (groupW * 0.8) / SERIES.length)
  results.forEach((r, g) => {
    const x0 = left + g * groupW + (groupW - barW * SERIES.length) / 2
    SERIES.forEach(([key, label, colour], s) => {
      const v = r.runs[key]?.requestsPerSecond
      if (v === undefined || v <= 0) return
      const yy = y(v)
      out.push(`<rect x="${x0 + s * barW}" y="${yy}" width="${barW - 2}" height="${top + plotH - yy}" fill="${colour}"><title>${escape(label)}: ${v} req/s</title></rect>`)
      out.push(`<text x="${x0 + s * barW + barW / 2 - 1}" y="${yy - 3}" text-anchor="middle" font-size="9">${v >= 1000 ? `${(v / 1000).toFixed(1)}k` : v}</text>`)
    })
    out.push(`<text x="${left + g * groupW + groupW / 2}" y="${top + plotH + 20}" text-anchor="middle">${r.participations.toLocaleString('en')} participations</text>`)
  })
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#333333"/>`)
  out.push(`<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333333"/>`)
  SERIES.forEach(([, label, colour], s) => {
    const yy = top + 10 + s * 20
    out.push(`<rect x="${left + plotW + 15}" y="${yy - 10}" width="12" height="12" fill="${colour}"/>`)
    out.push(`<text x="${left + plotW + 32}" y="${yy}">${escape(label)}</text>`)
  })
  out.push('</svg>')
  return `${out.join('\n')}\n`
}
