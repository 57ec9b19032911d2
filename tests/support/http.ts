// Small real HTTP servers on loopback for tests.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface TestServer {
  url: string
  requests: http.IncomingMessage[]
  close(): Promise<void>
}

export async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<TestServer> {
  const requests: http.IncomingMessage[] = []
  const server = http.createServer((req, res) => {
    requests.push(req)
    handler(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Answers JSON with the given status and content type. */
export function json(status: number, body: unknown, type = 'application/json') {
  return (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(status, { 'content-type': type }).end(JSON.stringify(body))
  }
}
