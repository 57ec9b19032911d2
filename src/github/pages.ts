/**
 * Every page of a GitHub list, by the `Link: <…>; rel="next"` header GitHub sends. Octokit's own
 * paginator ends quietly on a 409 (an empty repository) as if the list were empty; a gate must
 * not read "nothing there" from an error, so here every error is thrown. A Link that loops back
 * or pages that never end are an error too.
 */
import type { GitHubApi as Octokit } from '../core/gate.js'

const MAX_PAGES = 100

/** The pages of a list did not end: GitHub answered, but no complete list can be read. */
export class PagingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PagingError'
  }
}

export interface Page {
  data: unknown
  headers: Record<string, string | number | undefined>
  url: string
}

export function nextLink(link: unknown): string | undefined {
  if (typeof link !== 'string') return undefined
  return /<([^<>]+)>;\s*rel="next"/.exec(link)?.[1]
}

export async function* pages(octokit: Octokit, route: string, params: Record<string, unknown>): AsyncGenerator<Page> {
  let res = (await octokit.request(route, params)) as unknown as Page
  const seen = new Set<string>([res.url])
  for (let n = 1; ; n++) {
    yield res
    const next = nextLink(res.headers.link)
    if (!next) return
    if (seen.has(next) || n >= MAX_PAGES)
      throw new PagingError(
        `GitHub's pages of ${route} did not end (${seen.has(next) ? 'a page links back to one already read' : `more than ${MAX_PAGES} pages`})`,
      )
    seen.add(next)
    res = (await octokit.request({ method: 'GET', url: next } as unknown as string)) as unknown as Page
  }
}

/**
 * All items of a list: each page an array, or (with `key`) an object holding the page's array
 * under `key`, as `{ total_count, secrets: [...] }`. `undefined` when a page is neither.
 */
export async function allItems(
  octokit: Octokit,
  route: string,
  params: Record<string, unknown>,
  key?: string,
): Promise<unknown[] | undefined> {
  const items: unknown[] = []
  for await (const page of pages(octokit, route, params)) {
    const data = page.data as Record<string, unknown> | unknown[] | null
    const list = key === undefined ? data : data && !Array.isArray(data) && typeof data === 'object' ? data[key] : undefined
    if (!Array.isArray(list)) return undefined
    items.push(...(list as unknown[]))
  }
  return items
}
