/**
 * What users install: every bare import in a package's build is a declared dependency or peer
 * (a monorepo's hoisted node_modules would hide a missing one until a user's strict install),
 * and every `exports`, `main`, `types` and `bin` target is a file the package ships.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { PACKAGE_FOLDERS, type PackageName, packPackage } from './e2e/helpers/packages.js'

const ROOT = join(import.meta.dirname, '..')
const PACKAGES = ['core', 'vitest-plugin', 'jest-preset', 'cli']
const BUILTINS = new Set(builtinModules)

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  )
}

function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string)
}

function targets(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (value && typeof value === 'object') return Object.values(value).flatMap(targets)
  return []
}

describe.each(PACKAGES)('packages/%s', (folder) => {
  const dir = join(ROOT, 'packages', folder)
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))

  test('imports only what it declares', () => {
    const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})])
    const shipped = [...files(join(dir, 'dist')), ...(existsSync(join(dir, 'bin')) ? files(join(dir, 'bin')) : [])]
    const used = new Set<string>()
    for (const file of shipped.filter((f) => /\.(c|m)?js$/.test(f))) {
      const text = readFileSync(file, 'utf8')
      for (const match of text.matchAll(/(?:from\s+|import\(\s*|require\(\s*)['"]([^'"./][^'"]*)['"]/g)) {
        const specifier = match[1] as string
        if (specifier.startsWith('node:') || BUILTINS.has(packageName(specifier))) continue
        used.add(packageName(specifier))
      }
    }
    expect([...used].filter((name) => !declared.has(name) && name !== pkg.name)).toEqual([])
  })

  test('ships every file its manifest points at', () => {
    const points = [pkg.main, pkg.module, pkg.types, ...targets(pkg.exports), ...targets(pkg.bin)].filter(
      (target): target is string => typeof target === 'string' && !target.includes('*'),
    )
    for (const target of points) expect(existsSync(join(dir, target)), `${pkg.name}: ${target}`).toBe(true)
    for (const target of points.filter((t) => !t.endsWith('package.json'))) {
      const top = target.replace(/^\.\//, '').split('/')[0] as string
      expect(
        pkg.files.includes(top) || pkg.files.includes(target.replace(/^\.\//, '')),
        `${pkg.name}: files has ${top}`,
      ).toBe(true)
    }
    expect(pkg.engines?.node).toBeDefined()
  })

  test('ships a README in its packed tarball', () => {
    const name = Object.entries(PACKAGE_FOLDERS).find(([, f]) => f === folder)?.[0] as PackageName
    const listed = execFileSync('tar', ['-tzf', packPackage(name)], { encoding: 'utf8' }).split('\n')
    expect(listed).toContain('package/README.md')
  })
})

describe.each(['vitest-plugin', 'jest-preset'])('packages/%s', (folder) => {
  test('brings the replaykit command its messages name (a dependency on @replaykit/cli)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'packages', folder, 'package.json'), 'utf8'))
    const cli = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8'))
    expect(pkg.dependencies['@replaykit/cli']).toBe(cli.version)
    expect(cli.bin.replaykit).toBeDefined()
  })
})
