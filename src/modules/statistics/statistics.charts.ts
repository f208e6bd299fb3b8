// Server-rendered SVG charts: no JavaScript, readable by a screen reader (role="img" with a title and a
// description), and always shown beside the table they draw, which carries the exact figures. A suppressed or
// not-applicable figure is drawn as no bar (or a gap in a line) with its symbol where the bar would be.
import type { PublishedCell, StatisticsTable } from './statistics.service.ts'

// GOV.UK Design System colours, in an order that stays distinguishable.
const COLOURS = ['#1d70b8', '#f47738', '#28a197', '#4c2c92', '#d53880', '#505a5f', '#85994b', '#b58840']

const WIDTH = 720
const HEIGHT = 360
const MARGIN = { top: 24, right: 16, bottom: 72, left: 64 }

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

/** A tidy axis maximum and step for values up to `max`: 1, 2 or 5 times a power of ten, about five ticks. */
export function niceScale(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 1, step: 1 }
  const rough = max / 5
  const power = 10 ** Math.floor(Math.log10(rough))
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough) ?? 10 * power
  return { top: Math.ceil(max / step) * step, step }
}

export interface BarSeries {
  label: string
  values: readonly PublishedCell[]
}

function frame(id: string, title: string, description: string, body: string, legend: readonly string[]): string {
  const legendItems = legend
    .map((label, i) => {
      const x = MARGIN.left + (i % 3) * 210
      const y = HEIGHT - 22 + Math.floor(i / 3) * 14 - (legend.length > 3 ? 12 : 0)
      return `<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${COLOURS[i % COLOURS.length]}"/><text x="${x + 14}" y="${y}" font-size="11">${escapeXml(label.length > 32 ? `${label.slice(0, 31)}…` : label)}</text>`
    })
    .join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="Arial, sans-serif" font-size="12"><title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>${body}${legendItems}</svg>`
}

function yAxis(top: number, step: number, plotHeight: number, format: (n: number) => string): string {
  let out = ''
  for (let v = 0; v <= top + step / 2; v += step) {
    const y = MARGIN.top + plotHeight - (v / top) * plotHeight
    out += `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#b1b4b6" stroke-width="${v === 0 ? 1.5 : 0.5}"/>`
    out += `<text x="${MARGIN.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${escapeXml(format(v))}</text>`
  }
  return out
}

/** Grouped bars: one group per category, one bar per series. */
export function barChart(options: { id: string; title: string; description: string; categories: readonly string[]; series: readonly BarSeries[]; percent?: boolean }): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom
  const max = Math.max(0, ...options.series.flatMap((series) => series.values.map((cell) => cell.value ?? 0)))
  const { top, step } = niceScale(max)
  const group = plotWidth / Math.max(1, options.categories.length)
  const bar = Math.max(1, (group * 0.8) / Math.max(1, options.series.length))
  let body = yAxis(top, step, plotHeight, (n) => (options.percent ? `${n}%` : n.toLocaleString('en-GB')))
  options.categories.forEach((category, c) => {
    const x0 = MARGIN.left + c * group + group * 0.1
    options.series.forEach((series, s) => {
      const cell = series.values[c]
      const x = x0 + s * bar
      if (!cell || cell.symbol || cell.value === null) {
        body += `<text x="${(x + bar / 2).toFixed(1)}" y="${MARGIN.top + plotHeight - 4}" text-anchor="middle" font-size="10" fill="#505a5f">${escapeXml(cell?.symbol ?? '')}</text>`
        return
      }
      const h = (cell.value / top) * plotHeight
      body += `<rect x="${x.toFixed(1)}" y="${(MARGIN.top + plotHeight - h).toFixed(1)}" width="${(bar * 0.92).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLOURS[s % COLOURS.length]}"><title>${escapeXml(`${category}, ${series.label}: ${cell.text}`)}</title></rect>`
    })
    const label = category.length > 14 ? `${category.slice(0, 13)}…` : category
    body += `<text x="${(x0 + group * 0.4).toFixed(1)}" y="${MARGIN.top + plotHeight + 14}" text-anchor="middle" font-size="10">${escapeXml(label)}</text>`
  })
  return frame(options.id, options.title, options.description, body, options.series.map((series) => series.label))
}

/** Lines over a numeric x axis (days, years); gaps where a figure is suppressed. */
export function lineChart(options: { id: string; title: string; description: string; x: readonly number[]; xLabel: string; series: readonly BarSeries[]; percent?: boolean }): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom
  const max = Math.max(0, ...options.series.flatMap((series) => series.values.map((cell) => cell.value ?? 0)))
  const { top, step } = niceScale(options.percent ? Math.min(100, Math.max(max, 1)) : max)
  const minX = Math.min(...options.x)
  const maxX = Math.max(...options.x)
  const xOf = (x: number) => MARGIN.left + (maxX === minX ? plotWidth / 2 : ((x - minX) / (maxX - minX)) * plotWidth)
  const yOf = (y: number) => MARGIN.top + plotHeight - (y / top) * plotHeight
  let body = yAxis(top, step, plotHeight, (n) => (options.percent ? `${n}%` : n.toLocaleString('en-GB')))
  const ticks = niceScale(maxX - minX).step
  for (let x = minX; x <= maxX; x += Math.max(1, ticks)) body += `<text x="${xOf(x).toFixed(1)}" y="${MARGIN.top + plotHeight + 14}" text-anchor="middle" font-size="10">${x}</text>`
  body += `<text x="${MARGIN.left + plotWidth / 2}" y="${MARGIN.top + plotHeight + 30}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`
  options.series.forEach((series, s) => {
    const runs: string[][] = [[]]
    series.values.forEach((cell, i) => {
      const x = options.x[i]
      if (x === undefined || !cell || cell.symbol || cell.value === null) {
        runs.push([])
        return
      }
      runs.at(-1)?.push(`${xOf(x).toFixed(1)},${yOf(cell.value).toFixed(1)}`)
    })
    for (const run of runs.filter((points) => points.length > 0)) {
      body += `<polyline points="${run.join(' ')}" fill="none" stroke="${COLOURS[s % COLOURS.length]}" stroke-width="2.5"/>`
    }
  })
  return frame(options.id, options.title, options.description, body, options.series.map((series) => series.label))
}

/** A bar chart of a table: its non-total rows as categories, the chosen columns as series. */
export function chartOfTable(table: StatisticsTable, columnKeys: readonly string[], options: { description?: string } = {}): string {
  const rows = table.rows.filter((row) => !row.total)
  const columns = columnKeys.map((key) => ({ key, index: table.columns.findIndex((column) => column.key === key) })).filter((column) => column.index >= 0)
  return barChart({
    id: `chart-${table.id}`,
    title: table.title,
    description: options.description ?? `Bar chart of the table beside it: ${columns.map((column) => table.columns[column.index]?.label).join('; ')}, by ${table.rowHeading.toLowerCase()}.`,
    categories: rows.map((row) => row.label),
    series: columns.map((column) => ({ label: table.columns[column.index]?.label ?? column.key, values: rows.map((row) => row.cells[column.index] ?? { value: null, symbol: 'x', text: 'x' }) })),
    percent: rows.some((row) => columns.some((column) => row.cells[column.index]?.percent)),
  })
}
