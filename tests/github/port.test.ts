// The GitHub client is loaded at the first request through the port, not when the port is built:
// an action whose gate never calls GitHub never loads @actions/github and the Octokit plugins.
import { describe, expect, it } from 'vitest'
import { githubPort, lazyClient } from '../../src/github/port.js'
import { startFakeGitHub } from '../harness/fake-github.js'

describe('lazy GitHub client', () => {
  it('loads the client once, at the first request, and answers through it', async () => {
    const api = await startFakeGitHub()
    api.on('actions/list-repo-secrets', () => ({ status: 200, body: { total_count: 0, secrets: [] } }))
    const saved = process.env.GITHUB_API_URL
    process.env.GITHUB_API_URL = api.url
    try {
      let loads = 0
      const client = lazyClient('ghs_lazyTestToken', async () => {
        loads++
        return import('../../src/github/client.js')
      })
      expect(loads).toBe(0)
      const [a, b] = await Promise.all([
        client.request('GET /repos/{owner}/{repo}/actions/secrets', { owner: 'acme', repo: 'shop' }),
        client.request('GET /repos/{owner}/{repo}/actions/secrets', { owner: 'acme', repo: 'shop' }),
      ])
      expect(loads).toBe(1)
      expect([a.status, b.status]).toEqual([200, 200])
      expect(api.requests.length).toBe(2)
    } finally {
      if (saved === undefined) delete process.env.GITHUB_API_URL
      else process.env.GITHUB_API_URL = saved
      await api.close()
    }
  })

  it('a client that cannot load fails the request that needed it, with the loader’s error', async () => {
    const client = lazyClient('ghs_lazyTestToken', () => Promise.reject(new Error('the GitHub client could not be loaded')))
    await expect(client.request('GET /repos/{owner}/{repo}/environments')).rejects.toThrow('the GitHub client could not be loaded')
  })

  it('no token or no repository: no port at all', () => {
    expect(githubPort(undefined, { GITHUB_REPOSITORY: 'acme/shop' })).toBeUndefined()
    expect(githubPort('', { GITHUB_REPOSITORY: 'acme/shop' })).toBeUndefined()
    expect(githubPort('ghs_x', {})).toBeUndefined()
    expect(githubPort('ghs_x', { GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '7' })).toMatchObject({
      owner: 'acme',
      repo: 'shop',
      runId: 7,
    })
  })
})
