// The load generator, run in its own process so it does not share the server's event loop.
// Usage: node bench/api/load.ts <config.json> ({url, method, headers, paths, body, connections, duration})
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'

interface LoadConfig {
  url: string
  method: 'GET' | 'POST'
  headers: Record<string, string>
  paths: string[]
  body: string | null
  connections: number
  duration: number
}

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as LoadConfig
let next = 0
const cpuBefore = process.cpuUsage()
const result = await autocannon({
  url: config.url,
  connections: config.connections,
  duration: config.duration,
  requests: [
    {
      method: config.method,
      headers: { ...config.headers, ...(config.body ? { 'content-type': 'application/json' } : {}) },
      // Each request takes the next path: creates go to a different person each time.
      setupRequest: (request) => {
        const path = config.paths[next % config.paths.length] ?? '/'
        next += 1
        return { ...request, path, ...(config.body ? { body: config.body } : {}) }
      },
    },
  ],
})
const cpu = process.cpuUsage(cpuBefore)
process.stdout.write(
  JSON.stringify({
    // This process's own CPU time over the run, in milliseconds.
    cpuMs: (cpu.user + cpu.system) / 1000,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  }),
)
