import { ProxyAgent, fetch as undiciFetch } from 'undici'

// One agent per proxy URL for the whole process, so clients created per request do not each
// open their own connection pool.
const agents = new Map<string, ProxyAgent>()

export function proxyDispatcher(proxyUrl: string): ProxyAgent {
  let agent = agents.get(proxyUrl)
  if (!agent) {
    agent = new ProxyAgent(proxyUrl)
    agents.set(proxyUrl, agent)
  }
  return agent
}

/**
 * undici's own fetch: a dispatcher from the undici package is only guaranteed to fit the fetch
 * of the same undici version (Node's global fetch bundles its own copy).
 */
export const proxyFetch = undiciFetch as unknown as typeof fetch
