/**
 * The MSW transport (interceptor.ts) under the transport contract, once for
 * each kind of client it intercepts: global fetch (undici, tagged where the
 * request is created) and node:http (found through the async context).
 */
import { request } from 'node:http'
import { describe } from 'vitest'
import { transportContract } from './transport-contract.js'

describe('fetch', () => {
  transportContract('msw (fetch)', {
    send: async (url) => (await fetch(url)).text(),
  })
})

describe('node:http', () => {
  transportContract('msw (node:http)', {
    send: (url) =>
      new Promise((resolve, reject) => {
        request(url, (res) => {
          let body = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => {
            body += chunk
          })
          res.on('end', () => resolve(body))
          res.on('error', reject)
        })
          .on('error', reject)
          .end()
      }),
  })
})
